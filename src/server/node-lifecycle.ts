/**
 * This node's name and phase. A node serves, then drains: `/healthz` answers 503 so balancers take it
 * out, new WebSockets are refused (HTTP 503, which balancers retry on another node), and existing
 * clients stay until the drain ends and they are closed with 1012.
 */
import { hostname } from 'node:os';

export class NodeLifecycle {
  /** Set once the port is known (the default id names it); read by /healthz, /metrics, `connection`. */
  id = '';
  readonly startedAt = Date.now();
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  /** Enters the draining phase (for good: a node does not come back from it). */
  startDraining(): void {
    this.#draining = true;
  }
}

/** `--node-id`, else `<hostname>:<port>`: unique per process on a host, and stable across restarts. */
export function defaultNodeId(port: number): string {
  return `${hostname()}:${port}`;
}
