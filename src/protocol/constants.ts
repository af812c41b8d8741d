/** Protocol constants, apart from the frame schemas so browser code can import them without TypeBox. */

export const PROTOCOL_VERSION = 1;

/** Channel names: namespace, optional `:suffix`, optional `#userId` for user-limited channels. */
export const CHANNEL_NAME_PATTERN = '^[A-Za-z0-9_.:@#-]{1,128}$';
