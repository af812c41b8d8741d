/**
 * The one place the terminal client creates an SDK client (the Node entry, with `ws`), so the
 * rest of src/terminal depends only on the TrendStreamClient interface from client/types.ts.
 */
import { createClient } from '../client/node.ts';
import type { ClientOptions, TrendStreamClient } from '../client/types.ts';

export interface NodeClientOptions {
  name?: string;
  token?: string;
}

export function createNodeClient(url: string, options: NodeClientOptions = {}): TrendStreamClient {
  const clientOptions: ClientOptions = {};
  if (options.name !== undefined) clientOptions.name = options.name;
  if (options.token !== undefined) clientOptions.token = options.token;
  return createClient(url, clientOptions);
}
