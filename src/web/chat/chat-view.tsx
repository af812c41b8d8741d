/** @jsxImportSource preact */
/** Chat: pick a name and a room, read the history, talk, see who is here and who is typing. */
import { signal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { formatClock } from '../lib/format.ts';
import { currentClientId, setUserName, userName, userNameChosen } from '../lib/hub.ts';
import { normalizeChannelSuffix } from '../lib/channel-names.ts';
import { createChatRoom, MAX_MESSAGE_LENGTH, type ChatRoom } from './chat-room.ts';
import { typingSentence } from './typing-tracker.ts';

const DEFAULT_ROOMS = ['lobby', 'random', 'tech'];
const currentRoom = signal('lobby');
const extraRooms = signal<readonly string[]>([]);

export function ChatView() {
  if (!userNameChosen.value) {
    return (
      <section class="view chat" aria-labelledby="chat-title">
        <header class="view-header">
          <h2 id="chat-title">Chat</h2>
        </header>
        <div class="card chat-gate">
          <p>Pick the name the others will see, then join the rooms.</p>
          <NameForm label="Join chat" />
        </div>
      </section>
    );
  }
  return <ChatRooms />;
}

function ChatRooms() {
  const room = currentRoom.value;
  const chat = useMemo(() => createChatRoom(room), [room]);
  useEffect(() => {
    chat.start();
    return () => chat.stop();
  }, [chat]);
  return (
    <section class="view chat" aria-labelledby="chat-title">
      <header class="view-header">
        <h2 id="chat-title">Chat</h2>
        <NameForm />
      </header>
      <div class="chat-layout">
        <aside class="card chat-side">
          <RoomPicker />
          <MemberList chat={chat} />
        </aside>
        <div class="card chat-main">
          <h3 class="card-title">#{room}</h3>
          <MessageList chat={chat} />
          <p class="typing" aria-live="polite" data-testid="typing">
            {typingSentence(chat.typing.typists.value)}
          </p>
          <Composer chat={chat} />
        </div>
      </div>
    </section>
  );
}

function NameForm({ label = 'Set' }: { label?: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        setUserName(inputRef.current?.value ?? '');
      }}
    >
      <label for="chat-name">Your name</label>
      <input
        id="chat-name"
        ref={inputRef}
        value={userName.value}
        maxLength={32}
        autoComplete="nickname"
        data-testid="name-input"
      />
      <button type="submit" class={`button ${label === 'Set' ? '' : 'primary'}`} data-testid="name-save">
        {label}
      </button>
    </form>
  );
}

function RoomPicker() {
  const inputRef = useRef<HTMLInputElement>(null);
  const rooms = [...DEFAULT_ROOMS, ...extraRooms.value];
  return (
    <nav aria-label="Rooms">
      <h3 class="card-title">Rooms</h3>
      <ul class="room-list">
        {rooms.map((room) => (
          <li key={room}>
            <button
              type="button"
              class={`room ${room === currentRoom.value ? 'on' : ''}`}
              aria-current={room === currentRoom.value ? 'true' : undefined}
              onClick={() => (currentRoom.value = room)}
            >
              #{room}
            </button>
          </li>
        ))}
      </ul>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const room = normalizeChannelSuffix(inputRef.current?.value ?? '');
          if (!room) return;
          if (!rooms.includes(room)) extraRooms.value = [...extraRooms.peek(), room];
          currentRoom.value = room;
          if (inputRef.current) inputRef.current.value = '';
        }}
      >
        <label class="visually-hidden" for="room-name">
          Room to join
        </label>
        <input id="room-name" ref={inputRef} placeholder="another room" maxLength={32} />
        <button type="submit" class="button">
          Join
        </button>
      </form>
    </nav>
  );
}

function MemberList({ chat }: { chat: ChatRoom }) {
  const members = chat.members.value;
  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title" class="card-title">
        Here now <span class="muted">({members.length})</span>
      </h3>
      <ul class="member-list" data-testid="members">
        {members.map((member) => (
          <li key={member.id}>
            <span class="presence-dot" aria-hidden="true" />
            {member.name}
            {member.id === currentClientId() ? <span class="muted"> (you)</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MessageList({ chat }: { chat: ChatRoom }) {
  const listRef = useRef<HTMLOListElement>(null);
  const items = chat.items.value;
  const me = currentClientId();
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [items]);
  return (
    <ol class="messages" ref={listRef} data-testid="messages" aria-label="Messages">
      {items.length === 0 ? <li class="empty">No messages yet: say hello.</li> : null}
      {items.map((item) =>
        item.kind === 'notice' ? (
          <li key={item.key} class="notice">
            {item.text}
          </li>
        ) : (
          <li key={item.key} class={`message ${item.from?.id === me ? 'mine' : ''}`}>
            <span class="message-meta">
              <strong class="message-from">{item.from?.name ?? 'server'}</strong>
              <time dateTime={item.timestamp}>{formatClock(item.timestamp)}</time>
            </span>
            <span class="message-text">{item.text}</span>
          </li>
        ),
      )}
    </ol>
  );
}

function Composer({ chat }: { chat: ChatRoom }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        const input = inputRef.current;
        if (!input) return;
        const text = input.value;
        input.value = '';
        chat.send(text).catch((error: unknown) => console.warn('[chat]', error));
      }}
    >
      <label class="visually-hidden" for="chat-message">
        Message
      </label>
      <input
        id="chat-message"
        ref={inputRef}
        placeholder={`Message #${chat.channel.slice('chat:'.length)}`}
        maxLength={MAX_MESSAGE_LENGTH}
        autoComplete="off"
        onInput={() => chat.typing.keystroke()}
        data-testid="message-input"
      />
      <button type="submit" class="button primary">
        Send
      </button>
    </form>
  );
}
