/** `trendstream token`: mints a JWT with the server's secret, for scripts and tests. */
import { Command, Option } from 'commander';
import { mintToken } from '../server/identity.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a signed JWT (HS256) for a user')
    .requiredOption('--sub <id>', 'user id (the token subject)')
    .option('--name <name>', 'display name')
    .option('--channels <list>', 'comma-separated channel patterns the token grants, e.g. "chat:*,trends"')
    .option(
      '--subs <list>',
      'comma-separated channels the server subscribes the connection to (server-side subscriptions)',
    )
    .option('--ttl <seconds>', 'lifetime in seconds', '3600')
    .addOption(
      new Option('--jwt-secret <secret>', 'the secret the server uses')
        .env('JWT_SECRET')
        .makeOptionMandatory(),
    )
    .action(
      async (flags: {
        sub: string;
        name?: string;
        channels?: string;
        subs?: string;
        ttl: string;
        jwtSecret: string;
      }) => {
        const ttlSeconds = Number(flags.ttl);
        if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
          throw new Error('--ttl must be a positive integer');
        const token = await mintToken(flags.jwtSecret, {
          sub: flags.sub,
          ttlSeconds,
          ...(flags.name === undefined ? {} : { name: flags.name }),
          ...(flags.channels === undefined ? {} : { channels: listItems(flags.channels) }),
          ...(flags.subs === undefined ? {} : { subs: listItems(flags.subs) }),
        });
        process.stdout.write(`${token}\n`);
      },
    );
}

function listItems(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
