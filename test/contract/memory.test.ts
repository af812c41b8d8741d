/** The engine contract suites against the embedded memory engine. */
import { MemoryEngine } from '../../src/engine/memory/memory-engine.ts';
import { describeBrokerContract } from './broker.contract.ts';
import { describeLeaderContract } from './leader.contract.ts';
import { describePresenceContract } from './presence.contract.ts';
import { describeWebhookLogContract } from './webhook-log.contract.ts';

const makeMemoryEngine = () => Promise.resolve(new MemoryEngine());

describeBrokerContract('memory', makeMemoryEngine);
describePresenceContract('memory', makeMemoryEngine);
describeLeaderContract('memory', makeMemoryEngine);
describeWebhookLogContract('memory', makeMemoryEngine);
