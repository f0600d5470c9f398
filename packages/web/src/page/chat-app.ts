import { ChatClient, type Ack, type ChatMessage, type ConnectionState } from '@chat/client';
import { Api, type Room, type SearchHit } from './api';
import { fill, h } from './dom';
import { PendingSends } from './state/pending-sends';
import { RoomLog } from './state/room-log';
import { TYPING_SHOWN_MS, TypingTracker, typingText } from './state/typing';
import { UnreadCounter } from './state/unread';
import { composer } from './views/composer';
import { MessageList } from './views/message-list';
import type { MessageActions } from './views/message-item';
import type { Status } from './views/presence-dot';
import { roomHeader } from './views/room-header';
import { searchPanel } from './views/search-panel';
import { sidebar, type RoomItem } from './views/sidebar';
import { threadPanel } from './views/thread-panel';
import { showRooms, topBar } from './views/top-bar';

export interface ChatAppOptions {
  root: HTMLElement;
  token: string;
  me: string;
  /** The gateway's WebSocket URL: `/ws` of the page's own origin. */
  wsUrl: string;
  /** Back to the sign-in page, saying why when it was not the user's choice. */
  signOut(reason?: string): void;
}

interface RoomState {
  room: Room;
  log: RoomLog;
  /** Settles once the client has joined the room: history is read after it, so nothing falls between. */
  joined: Promise<unknown> | null;
  loaded: boolean;
  loadingOlder: boolean;
  /** The members and their presence, as `GET /api/presence/room` gave them. */
  members: string[];
}

/** Pages of older history read at most to find a search hit's message. */
const MAX_PAGES_TO_FIND = 20;

/**
 * The signed-in page: the SDK's client for everything live (messages, resume, typing, presence,
 * reactions, receipts, uploads) and the REST API for what is read on demand (rooms, history,
 * threads, search, receipts, file links) and for edits and deletions.
 */
export class ChatApp {
  private readonly client: ChatClient;
  private readonly api: Api;
  private readonly me: string;
  private readonly rooms = new Map<string, RoomState>();
  private active: string | null = null;
  private readonly presence = new Map<string, Status>();
  private readonly receipts = new Map<string, Map<string, number>>();
  private readonly typing = new TypingTracker();
  private readonly unread = new UnreadCounter();
  private readonly pending = new PendingSends();
  private readonly fileLinks = new Map<string, Promise<string>>();
  /** The message being edited (one at a time) and what was typed so far. */
  private editing: { messageId: string; draft: string } | null = null;
  /** Whether the rooms were read on a first connection; later ones resynchronise instead. */
  private started = false;
  private lastError: Error | null = null;
  private signingOut = false;

  private readonly list = new MessageList('Messages');
  private readonly header = roomHeader();
  private readonly typingLine = h('p', { class: 'typing', 'aria-live': 'polite' });
  private readonly notice = h('p', { class: 'notice', role: 'alert' });
  private readonly olderButton = h('button', { type: 'button', class: 'older link' }, 'Load older messages');
  private readonly top;
  private readonly side;
  private readonly thread;
  private readonly search;
  private readonly messageField;

  constructor(private readonly options: ChatAppOptions) {
    this.me = options.me;
    this.api = new Api(options.token);
    this.client = new ChatClient({ url: options.wsUrl, token: options.token });
    this.top = topBar(this.me, {
      search: (query) => void this.runSearch(query).catch((error: Error) => this.report(error)),
      setStatus: (status) => this.client.setPresence(status),
      signOut: () => this.end(),
    });
    this.side = sidebar({
      open: (roomId) => void this.open(roomId).catch((error: Error) => this.report(error)),
      createRoom: (name, isPrivate) => this.createRoom(name, isPrivate),
      openDirect: (userId) => this.openDirect(userId),
    });
    this.thread = threadPanel({
      reply: (root, content) => this.send(root.room_id, content, root.message_id),
      typing: (state) => this.active && this.client.typing(this.active, state),
      close: () => this.closeThread(),
    });
    this.search = searchPanel({
      show: (hit) => void this.showHit(hit).catch((error: Error) => this.report(error)),
      close: () => this.search.hide(),
    });
    this.messageField = composer({
      label: 'Message',
      send: (content) => this.active && this.send(this.active, content),
      typing: (state) => this.active && this.client.typing(this.active, state),
      attach: (file) => void this.attach(file),
    });
  }

  /**
   * Draws the page and connects. The rooms are read once the connection is open (until then the
   * page says it is connecting, and keeps trying); a refused token ends the session.
   */
  start(): void {
    this.layout();
    this.listen();
    // A refusal closes the client, which the 'closed' state handles.
    this.client.connect().catch(() => undefined);
  }

  /**
   * The first connection: the rooms, then the room the address names, else the first the user is
   * in, else `general` (which opening joins).
   */
  private async firstLoad(): Promise<void> {
    await this.refreshRooms();
    const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
    const member = [...this.rooms.values()].find(({ room }) => room.role !== null)?.room.room_id;
    const first = this.rooms.has(wanted)
      ? wanted
      : (member ?? (this.rooms.has('general') ? 'general' : null));
    if (first) await this.open(first);
  }

  private layout(): void {
    this.olderButton.addEventListener('click', () => void this.loadOlder());
    this.list.element.addEventListener('scroll', () => {
      if (this.list.element.scrollTop < 80) void this.loadOlder();
    });
    const main = h(
      'main',
      { class: 'room-view', 'aria-labelledby': 'room-title' },
      this.header.element,
      this.olderButton,
      this.list.element,
      this.typingLine,
      this.messageField.element,
    );
    fill(
      this.options.root,
      this.top.element,
      this.notice,
      h('div', { class: 'layout' }, this.side.element, main, this.thread.element, this.search.element),
    );
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  private readonly onVisibility = () => this.markActiveRead();

  /** The session ends: the client is closed and the page's own listeners go. */
  private end(reason?: string): void {
    this.signingOut = true;
    this.client.close();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.options.signOut(reason);
  }

  private listen(): void {
    const client = this.client;
    client.on('state', (state) => this.onState(state));
    client.on('error', (error) => {
      this.lastError = error;
      this.report(error);
    });
    client.on('message', (message) => this.onMessage(message));
    client.on('message_edited', ({ room_id, seq, content, edited_at }) =>
      this.change(room_id, (log) => log.edited(seq, content, edited_at)),
    );
    client.on('message_deleted', ({ room_id, seq }) => this.change(room_id, (log) => log.deleted(seq)));
    client.on('history_expired', ({ room_id, through_seq }) =>
      this.change(room_id, (log) => log.expired(through_seq)),
    );
    client.on('reaction', ({ room_id, message_id, emoji, count, user_id, action }) =>
      this.change(room_id, (log) =>
        log.reacted({ message_id, emoji, count, action, mine: user_id === this.me }),
      ),
    );
    client.on('thread_updated', (update) => this.change(update.room_id, (log) => log.threadUpdated(update)));
    client.on('receipt', ({ room_id, user_id, seq }) => {
      const room = this.receipts.get(room_id) ?? new Map<string, number>();
      room.set(user_id, Math.max(seq, room.get(user_id) ?? 0));
      this.receipts.set(room_id, room);
      if (room_id === this.active) this.drawRoom();
    });
    client.on('unread', ({ rooms }) => {
      for (const { room_id, unread, last_seq } of rooms) this.unread.set(room_id, unread, last_seq);
      this.markActiveRead();
      this.drawSidebar();
    });
    client.on('presence', ({ user_id, status }) => {
      this.presence.set(user_id, status);
      this.drawSidebar();
      this.drawHeader();
    });
    client.on('typing', ({ room_id, user_id, state }) => {
      if (user_id === this.me) return;
      this.typing.update(room_id, user_id, state, Date.now());
      this.drawTyping();
      setTimeout(() => this.drawTyping(), TYPING_SHOWN_MS + 100);
    });
    client.on('room_added', ({ room_id, kind, members }) => this.added({ room_id, kind, members }));
    client.on('room', (event) => {
      const gone =
        event.type === 'room_deleted' ||
        event.type === 'room_left' ||
        (event.type === 'member_left' && event.user_id === this.me);
      if (gone) return this.forget(event.room_id);
      void this.refreshRooms().catch((error: Error) => this.report(error));
      if (event.room_id === this.active && event.type.startsWith('member_'))
        void this.loadMembers(event.room_id);
    });
  }

  /** The connection's state, and while it is not open how many messages wait to be sent. */
  private drawConnection(): void {
    this.top.connection(this.client.state, this.pending.waiting());
  }

  private onState(state: ConnectionState): void {
    this.drawConnection();
    if (state === 'closed' && !this.signingOut) {
      return this.end(`Signed out: ${this.lastError?.message ?? 'the connection was closed.'}`);
    }
    if (state !== 'open') return;
    // What failed while the platform was away says nothing now.
    this.say('');
    const load = this.started ? this.resync() : this.firstLoad();
    this.started = true;
    load.catch((error: Error) => this.report(error));
  }

  /** After a reconnect: resume replayed the messages missed; edits, reactions and receipts are read again. */
  private async resync(): Promise<void> {
    await this.refreshRooms();
    const state = this.active ? this.rooms.get(this.active) : undefined;
    if (!state) return;
    state.log.refresh((await this.api.history(state.room.room_id)).messages);
    await Promise.all([this.loadReceipts(state.room.room_id), this.loadMembers(state.room.room_id)]);
    const root = this.thread.root;
    if (root) state.log.refresh((await this.api.thread(root.room_id, root.message_id)).messages);
    this.drawRoom();
  }

  private onMessage(message: ChatMessage): void {
    const state = this.rooms.get(message.room_id);
    if (!state) return void this.refreshRooms().catch((error: Error) => this.report(error));
    state.log.add([message]);
    if (message.sender_id === this.me) {
      this.pending.arrived(message);
      this.drawConnection();
    }
    this.unread.arrived(message.room_id, message.seq, message.sender_id !== this.me && !message.thread_id);
    this.drawSidebar();
    if (message.room_id === this.active) {
      this.drawRoom();
      this.markActiveRead();
    }
  }

  /** Applies a change to a room's log and redraws it if it is open. */
  private change(roomId: string, apply: (log: RoomLog) => void): void {
    const state = this.rooms.get(roomId);
    if (!state) return;
    apply(state.log);
    if (roomId === this.active) this.drawRoom();
  }

  private async refreshRooms(): Promise<void> {
    for (const room of await this.api.rooms()) this.upsert(room);
    this.drawSidebar();
  }

  /**
   * Puts a room in the list (or updates it) and joins it if the user is a member. Rooms leave the
   * list only when an event says so: the list read may lag behind a room just opened.
   */
  private upsert(room: Room): void {
    const known = this.rooms.get(room.room_id);
    const state: RoomState = known
      ? { ...known, room }
      : {
          room,
          log: new RoomLog(),
          joined: null,
          loaded: false,
          loadingOlder: false,
          members: [],
        };
    if (room.role !== null && !state.joined) state.joined = this.join(room.room_id);
    this.rooms.set(room.room_id, state);
  }

  /** A room opened with the user in it (`room_added`), listed at once from what the event says. */
  private added({ room_id, kind, members }: Pick<Room, 'room_id' | 'kind' | 'members'>): void {
    if (!this.rooms.has(room_id)) {
      this.upsert({
        room_id,
        kind,
        members,
        name: '',
        private: kind === 'direct',
        owner_id: '',
        member_count: members?.length ?? 0,
        last_seq: 0,
        created_at: new Date().toISOString(),
        role: 'member',
      });
      this.drawSidebar();
    }
    void this.refreshRooms().catch((error: Error) => this.report(error));
  }

  private forget(roomId: string): void {
    this.rooms.delete(roomId);
    if (this.active === roomId) {
      this.active = null;
      this.closeThread();
      this.list.reset();
      this.drawRoom();
    }
    this.drawSidebar();
  }

  private join(roomId: string): Promise<unknown> {
    return this.client.join(roomId).catch((error: Error) => this.report(error));
  }

  private titleOf(room: Room): string {
    if (room.kind === 'group') return room.name;
    const others = (room.members ?? []).filter((member) => member !== this.me);
    return others.length === 0 ? 'Notes to self' : others.join(', ');
  }

  /** `# design` for a room, the other member's name for a direct one. */
  private displayName(room: Room): string {
    return room.kind === 'group' ? `# ${room.name}` : this.titleOf(room);
  }

  private async open(roomId: string): Promise<void> {
    let state = this.rooms.get(roomId);
    if (!state) return;
    if (state.room.role === null) {
      // A public room the user is not in: opening it joins it.
      state.joined = this.client.join(roomId);
      await state.joined;
      await this.refreshRooms();
      state = this.rooms.get(roomId)!;
    }
    if (this.active !== roomId) {
      this.active = roomId;
      this.list.reset();
      this.closeThread();
    }
    history.replaceState(null, '', `#${encodeURIComponent(roomId)}`);
    showRooms(false);
    this.drawSidebar();
    this.drawRoom();
    await state.joined;
    if (!state.loaded) {
      const page = await this.api.history(roomId);
      state.log.add(page.messages);
      state.log.hasOlder = page.has_more;
      state.loaded = true;
    }
    await Promise.all([this.loadReceipts(roomId), this.loadMembers(roomId)]);
    if (this.active !== roomId) return;
    this.drawRoom();
    this.list.scrollToBottom();
    this.markActiveRead();
    this.messageField.focus();
  }

  private async loadReceipts(roomId: string): Promise<void> {
    const receipts = await this.api.receipts(roomId);
    this.receipts.set(roomId, new Map(receipts.map(({ user_id, seq }) => [user_id, seq])));
  }

  private async loadMembers(roomId: string): Promise<void> {
    const { members } = await this.api.presence(roomId);
    for (const { user_id, status } of members) this.presence.set(user_id, status);
    const state = this.rooms.get(roomId);
    if (state) state.members = members.map(({ user_id }) => user_id).sort();
    this.drawHeader();
    this.drawSidebar();
  }

  private async loadOlder(): Promise<void> {
    const state = this.active ? this.rooms.get(this.active) : undefined;
    if (!state || !state.loaded || !state.log.hasOlder || state.loadingOlder) return;
    state.loadingOlder = true;
    try {
      const page = await this.api.history(state.room.room_id, state.log.oldestSeq);
      state.log.add(page.messages);
      state.log.hasOlder = page.has_more;
    } catch (error) {
      this.report(error as Error);
    } finally {
      state.loadingOlder = false;
    }
    if (state.room.room_id === this.active) this.drawRoom();
  }

  private visible(): boolean {
    return document.visibilityState === 'visible';
  }

  private markActiveRead(): void {
    const state = this.active ? this.rooms.get(this.active) : undefined;
    if (!state || !this.visible()) return;
    const newest = state.log.newestSeq;
    if (newest === 0) return;
    this.client.markRead(state.room.room_id, newest);
    this.unread.read(state.room.room_id, newest);
    this.drawSidebar();
  }

  private send(roomId: string, content: string, threadId?: string): void {
    const id = this.pending.add(roomId, content, threadId);
    this.drawConnection();
    this.drawRoom();
    const sent = threadId ? this.client.reply(roomId, threadId, content) : this.client.send(roomId, content);
    sent.then(
      (ack) => {
        this.pending.acked(id, ack.client_msg_id);
        this.drawConnection();
        this.rooms.get(roomId)?.log.acked(this.ackedMessage(ack, content));
        if (roomId === this.active) this.drawRoom();
      },
      (error: Error) => {
        this.pending.failed(id, `Not sent: ${error.message}`);
        this.drawConnection();
        this.drawRoom();
      },
    );
  }

  private ackedMessage(ack: Ack, content: string): ChatMessage {
    return {
      room_id: ack.room_id,
      message_id: ack.message_id,
      seq: ack.seq,
      sender_id: this.me,
      content,
      message_type: 'text',
      created_at: ack.created_at,
      client_msg_id: ack.client_msg_id,
      ...(ack.thread_id ? { thread_id: ack.thread_id } : {}),
    };
  }

  private async attach(file: File): Promise<void> {
    const roomId = this.active;
    if (!roomId) return;
    this.say(`Uploading ${file.name}…`);
    try {
      const type = file.type || 'application/octet-stream';
      const verified = await this.client.uploadFile(roomId, { name: file.name, type, data: file });
      await this.client.shareFile(roomId, verified);
      this.say('');
    } catch (error) {
      this.report(error as Error);
    }
  }

  private fileLink(message: ChatMessage): Promise<string> {
    const file = message.file!;
    let link = this.fileLinks.get(file.file_id);
    if (!link) {
      link = this.api.download(file.file_url).then(({ download_url }) => download_url);
      link.catch(() => this.fileLinks.delete(file.file_id));
      this.fileLinks.set(file.file_id, link);
    }
    return link;
  }

  private async download(message: ChatMessage): Promise<void> {
    // A fresh link each time: they are short-lived.
    const { download_url, file_name } = await this.api.download(message.file!.file_url);
    const anchor = h('a', { href: download_url, download: file_name, hidden: true });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  }

  /** What a drawn message can do: react, open its thread, be edited, deleted, downloaded. */
  private messageActions(): MessageActions {
    return {
      me: this.me,
      react: (message, emoji, add) => {
        const action = add ? 'add' : 'remove';
        const sent = add
          ? this.client.react(message.room_id, message.message_id, emoji)
          : this.client.unreact(message.room_id, message.message_id, emoji);
        sent.then(
          ({ count }) =>
            this.change(message.room_id, (log) =>
              log.reacted({ message_id: message.message_id, emoji, count, action, mine: true }),
            ),
          (error: Error) => this.report(error),
        );
      },
      openThread: (message) => void this.openThread(message).catch((error: Error) => this.report(error)),
      editing: this.editing,
      startEdit: (message) => {
        this.editing = { messageId: message.message_id, draft: message.content };
        this.drawRoom();
      },
      finishEdit: async (message, content) => {
        if (content !== undefined && content !== message.content) {
          await this.api.edit(message.room_id, message.message_id, content);
        }
        this.editing = null;
        this.drawRoom();
        document.getElementById(`msg-${message.room_id}-${message.seq}`)?.focus();
      },
      remove: (message) => {
        if (!confirm('Delete this message for everyone?')) return;
        this.api.remove(message.room_id, message.message_id).catch((error: Error) => this.report(error));
      },
      fileLink: (message) => this.fileLink(message),
      download: (message) => void this.download(message).catch((error: Error) => this.report(error)),
    };
  }

  private async openThread(root: ChatMessage): Promise<void> {
    this.thread.open(root);
    this.drawThread();
    const page = await this.api.thread(root.room_id, root.message_id);
    this.rooms.get(root.room_id)?.log.add(page.messages);
    this.drawThread();
  }

  private closeThread(): void {
    if (this.thread.element.hidden) return;
    this.thread.close();
    this.messageField.focus();
  }

  private async runSearch(query: string): Promise<void> {
    if (!query) return;
    const { hits } = await this.api.search(query);
    this.search.show(query, hits, (roomId) => {
      const room = this.rooms.get(roomId)?.room;
      return room ? this.displayName(room) : roomId;
    });
  }

  /** Opens a hit's room, reads older history until its message is there, and shows it. */
  private async showHit(hit: SearchHit): Promise<void> {
    await this.open(hit.room_id);
    const state = this.rooms.get(hit.room_id);
    if (!state) return;
    const target = hit.thread_id ?? hit.message_id;
    for (
      let pages = 0;
      !state.log.find(target) && state.log.hasOlder && pages < MAX_PAGES_TO_FIND;
      pages += 1
    ) {
      await this.loadOlder();
    }
    const message = state.log.find(target);
    if (!message) return this.say('That message is too far back to show here.');
    if (hit.thread_id) await this.openThread(message);
    const element = document.getElementById(`msg-${hit.room_id}-${hit.seq}`);
    if (!element) return;
    element.scrollIntoView({ block: 'center' });
    element.classList.add('found');
    element.focus();
  }

  private async createRoom(name: string, isPrivate: boolean): Promise<void> {
    const room = await this.api.createRoom(name, isPrivate);
    await this.refreshRooms();
    await this.open(room.room_id);
  }

  private async openDirect(userId: string): Promise<void> {
    const room = await this.client.openDirect(userId);
    this.added(room);
    await this.open(room.room_id);
  }

  private drawSidebar(): void {
    const items: RoomItem[] = [...this.rooms.values()].map(({ room }) => {
      const other =
        room.kind === 'direct' ? (room.members ?? []).find((member) => member !== this.me) : undefined;
      return {
        id: room.room_id,
        title: this.titleOf(room),
        kind: room.kind,
        unread: this.unread.of(room.room_id),
        active: room.room_id === this.active,
        member: room.role !== null,
        ...(other ? { presence: this.presence.get(other) ?? 'offline' } : {}),
      };
    });
    this.side.draw(items);
  }

  private drawHeader(): void {
    const state = this.active ? this.rooms.get(this.active) : undefined;
    if (!state) return this.header.draw('No room open', []);
    this.header.draw(
      this.displayName(state.room),
      state.members.map((user_id) => ({ user_id, status: this.presence.get(user_id) ?? 'offline' })),
    );
  }

  private drawTyping(): void {
    fill(this.typingLine, this.active ? typingText(this.typing.typing(this.active, Date.now())) : '');
  }

  /** For each of the user's messages, who has read up to it and no further of theirs. */
  private seenBy(state: RoomState): (message: ChatMessage) => readonly string[] {
    const mine = state.log
      .topLevel()
      .map(({ message }) => message)
      .filter((message) => message.sender_id === this.me);
    const seen = new Map<number, string[]>();
    for (const [user, readSeq] of this.receipts.get(state.room.room_id) ?? []) {
      if (user === this.me) continue;
      const last = mine.filter((message) => message.seq <= readSeq).at(-1);
      if (last) seen.set(last.seq, [...(seen.get(last.seq) ?? []), user].sort());
    }
    return (message) => seen.get(message.seq) ?? [];
  }

  private drawRoom(): void {
    const state = this.active ? this.rooms.get(this.active) : undefined;
    this.drawHeader();
    this.drawTyping();
    if (!state) return;
    this.olderButton.hidden = !state.loaded || !state.log.hasOlder;
    this.messageField.setLabel(`Message ${this.displayName(state.room)}`);
    this.list.draw(
      state.log.topLevel(),
      this.messageActions(),
      this.seenBy(state),
      this.pending.of(state.room.room_id),
    );
    this.drawThread();
  }

  private drawThread(): void {
    const root = this.thread.root;
    const state = root ? this.rooms.get(root.room_id) : undefined;
    if (!root || !state) return;
    const entry = state.log.topLevel().find(({ message }) => message.message_id === root.message_id);
    if (!entry) return;
    const pending = this.pending.of(root.room_id, root.message_id);
    this.thread.draw(entry, state.log.replies(root.message_id), this.messageActions(), pending);
  }

  private say(text: string): void {
    this.notice.className = 'notice';
    fill(this.notice, text);
  }

  private report(error: Error): void {
    this.notice.className = 'notice error';
    fill(this.notice, error.message);
  }
}
