/**
 * Preact hook: bind a channel while the component is mounted (and `channel` is set).
 * The handlers may change on every render; the latest ones are always called.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { SubscriptionHandlers } from '../../client/types.ts';
import { bindChannel, type ChannelBinding } from './hub.ts';

export function useChannel(
  channel: string | undefined,
  handlers: SubscriptionHandlers,
): { readonly current: ChannelBinding | undefined } {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const bindingRef = useRef<ChannelBinding | undefined>(undefined);

  useEffect(() => {
    if (!channel) return undefined;
    const binding = bindChannel(channel, {
      onPublication: (publication) => handlersRef.current.onPublication?.(publication),
      onSubscribed: (info) => handlersRef.current.onSubscribed?.(info),
      onJoin: (client) => handlersRef.current.onJoin?.(client),
      onLeave: (client) => handlersRef.current.onLeave?.(client),
      onEphemeral: (data, from) => handlersRef.current.onEphemeral?.(data, from),
      onError: (error) => handlersRef.current.onError?.(error),
    });
    bindingRef.current = binding;
    return () => {
      binding.stop();
      if (bindingRef.current === binding) bindingRef.current = undefined;
    };
  }, [channel]);

  return bindingRef;
}
