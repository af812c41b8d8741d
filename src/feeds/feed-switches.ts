/** Which built-in feeds a node runs. The feeds layer owns this shape; the server config holds one. */
export interface FeedSwitches {
  trends: boolean;
  metrics: boolean;
  stocks: boolean;
  notifications: boolean;
  activity: boolean;
}

/** Feeds all off: what tests start with unless they test a feed. */
export const NO_FEEDS: FeedSwitches = {
  trends: false,
  metrics: false,
  stocks: false,
  notifications: false,
  activity: false,
};
