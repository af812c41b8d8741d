/** What every server under test returns once it listens. */
export interface StartedServer {
  port: number;
}
