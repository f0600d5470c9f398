import {
  acceptAll,
  createApplicationMessage,
  createCommit,
  createGroup,
  decodeGroupState,
  emptyPskIndex,
  encodeGroupState,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  processMessage,
  type CiphersuiteImpl,
  type ClientState,
  type Proposal,
} from 'ts-mls';
import { defaultClientConfig } from 'ts-mls/clientConfig.js';
import type { ChatClient } from '../chat-client';
import { ChatError } from '../chat-error';
import { Emitter } from '../emitter';
import type { Ack } from '../outbox';
import type { ChatMessage, DirectRoom, ServerFrameOf } from '../wire';
import { decodeMessage, encodeMessage, fromUtf8, utf8, welcomeMessage } from './codec';
import { DeviceKeyPackages } from './device-key-packages';
import { MemoryKeyStore, type MlsKeyStore } from './key-store';

/** A message of an encrypted room, decrypted: `text` is what its sender wrote. */
export interface DecryptedMessage {
  room_id: string;
  seq: number;
  message_id: string;
  sender_id: string;
  text: string;
  created_at: string;
}

export interface EncryptedRoomEvents {
  /** Each application message of an encrypted room the user is in the group of, once, in seq order. */
  message: DecryptedMessage;
  /** The user joined a room's group (from a Welcome, or by creating it). */
  joined: { room_id: string };
  /** A commit removed the user from a room's group: nothing later in it can be read. */
  removed: { room_id: string };
  /** A message that could not be processed (it is skipped), or a Welcome that fit no KeyPackage. */
  error: ChatError;
}

export interface EncryptedRoomsOptions {
  /** Where key material lives; memory by default (rooms are then unreadable after a restart). */
  store?: MlsKeyStore;
  /** This device's name in the KeyPackage directory. */
  deviceId?: string;
  /** How many KeyPackages to keep published; a top-up follows each Welcome used. */
  keyPackages?: number;
}

/** X25519, AES-128-GCM, SHA-256, Ed25519: MLS's mandatory-to-implement suite (RFC 9420 §17.1). */
const CIPHERSUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';
const STALE_RETRIES = 5;
const RESYNC_WAIT_MS = 3_000;
const HISTORY_PAGE = 200;

interface Room {
  state: ClientState;
  /** The seq of the last message processed. */
  seq: number;
}

/** What this client sent and waits to see delivered in the room's order. */
type Pending = { kind: 'application'; text: string } | { kind: 'commit'; newState: ClientState };

const groupKey = (roomId: string) => `group/${roomId}`;
const seqKey = (roomId: string) => `seq/${roomId}`;

/**
 * End-to-end encrypted rooms (MLS, RFC 9420) over a ChatClient: the server orders and stores the
 * group's messages but never holds a key. Each room's messages are processed strictly in seq
 * order — the group's total order of handshakes — one at a time.
 */
export class EncryptedRooms extends Emitter<EncryptedRoomEvents> {
  private readonly rooms = new Map<string, Room>();
  private readonly pending = new Map<string, Pending>();
  /** One task at a time per room: processing, encrypting and committing all read and write its state. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly progress = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];

  private readonly store: MlsKeyStore;
  private readonly deviceId: string;
  private readonly target: number;
  private cs!: CiphersuiteImpl;
  private keyPackages!: DeviceKeyPackages;
  private userId = '';

  /** Subscribe to its events, then `start` it. */
  constructor(
    private readonly client: ChatClient,
    options: EncryptedRoomsOptions = {},
  ) {
    super();
    this.store = options.store ?? new MemoryKeyStore();
    this.deviceId = options.deviceId ?? 'default';
    this.target = options.keyPackages ?? 10;
  }

  /**
   * Connects the client if needed, restores the groups in the store (decrypting what was sent
   * since each was saved), keeps the device's KeyPackages published, and joins the rooms whose
   * Welcomes wait for the user.
   */
  async start(): Promise<void> {
    if (this.client.state !== 'open') await this.client.connect();
    this.userId = this.client.userId!;
    this.cs = await getCiphersuiteImpl(getCiphersuiteFromName(CIPHERSUITE));
    this.keyPackages = new DeviceKeyPackages(
      this.client,
      this.store,
      this.cs,
      this.userId,
      this.deviceId,
      this.target,
    );
    this.unsubscribe.push(
      this.client.on('message', (message) => void this.onMessage(message)?.catch(this.report)),
      this.client.on('mls_welcome', (welcome) => void this.onWelcome(welcome).catch(this.report)),
    );
    await this.restore();
    await this.topUp();
    const { welcomes } = await this.client.request<{ welcomes: ServerFrameOf<'mls_welcome'>[] }>(
      'GET',
      '/api/mls/welcomes',
    );
    await Promise.all(welcomes.map((welcome) => this.onWelcome(welcome)));
  }

  /** A failure of work no caller awaits; none once the client is closed (it stopped on purpose). */
  private readonly report = (error: unknown): void => {
    if (error instanceof ChatError && error.code === 'closed') return;
    this.emit('error', error instanceof ChatError ? error : new ChatError('internal', String(error)));
  };

  close(): void {
    for (const stop of this.unsubscribe) stop();
  }

  /** Creates an encrypted group room with the user as its owner, and adds `members` to its group. */
  async createEncryptedRoom(name: string, members: string[] = []): Promise<{ room_id: string }> {
    const { room_id } = await this.client.request<{ room_id: string }>('POST', '/api/rooms', {
      name,
      members,
      encryption: 'mls',
    });
    await this.found(room_id);
    if (members.length > 0) await this.commit(room_id, { add: members, remove: [] });
    return { room_id };
  }

  /**
   * Opens the encrypted direct room with a user: the first of the pair to open it founds its group
   * and adds the other; the other joins from the Welcome.
   */
  async openEncryptedDirect(userId: string): Promise<DirectRoom> {
    const room = await this.client.request<DirectRoom>('POST', '/api/dms', {
      user_id: userId,
      encryption: 'mls',
    });
    if (room.encryption !== 'mls') {
      throw new ChatError(
        'encryption_required',
        `The direct room with ${userId} is not end-to-end encrypted.`,
      );
    }
    if (this.rooms.has(room.room_id)) return room;
    const history = await this.history(room.room_id, 0, 1);
    if (history.length === 0) {
      await this.found(room.room_id);
      // The other member may be founding the room's group at this very moment.
      await this.commit(room.room_id, { add: userId === this.userId ? [] : [userId], remove: [] }, true);
    }
    return room;
  }

  /** Adds a user (each of their devices that published a KeyPackage) to the room's group and the room. */
  addMember(roomId: string, userId: string): Promise<void> {
    return this.commit(roomId, { add: [userId], remove: [] });
  }

  /** Removes a user from the room's group (every leaf of theirs) and from the room. */
  removeMember(roomId: string, userId: string): Promise<void> {
    return this.commit(roomId, { add: [], remove: [userId] });
  }

  /**
   * Encrypts and sends a text message. If a commit got in first (`stale_epoch`), it waits until
   * this client has processed it and encrypts again in the new epoch.
   */
  async send(roomId: string, text: string): Promise<Ack> {
    for (let attempt = 0; ; attempt++) {
      const { clientMsgId, mls, epoch } = await this.serially(roomId, async () => {
        const room = this.roomOf(roomId);
        const created = await createApplicationMessage(room.state, utf8.encode(text), this.cs);
        room.state = created.newState;
        const clientMsgId = crypto.randomUUID();
        this.pending.set(clientMsgId, { kind: 'application', text });
        const mls = encodeMessage({
          version: 'mls10',
          wireformat: 'mls_private_message',
          privateMessage: created.privateMessage,
        });
        return { clientMsgId, mls, epoch: room.state.groupContext.epoch };
      });
      try {
        return await this.client.sendMls(roomId, { mls }, clientMsgId);
      } catch (error) {
        this.pending.delete(clientMsgId);
        if (!(error instanceof ChatError) || error.code !== 'stale_epoch' || attempt >= STALE_RETRIES)
          throw error;
        await this.resync(roomId, epoch);
      }
    }
  }

  /** Publishes KeyPackages until the device has `keyPackages` of them, and a last-resort one. */
  topUp(): Promise<void> {
    return this.keyPackages.topUp();
  }

  /** The room's group epoch as this client knows it; undefined outside the group. */
  epochOf(roomId: string): bigint | undefined {
    return this.rooms.get(roomId)?.state.groupContext.epoch;
  }

  /** Creates the room's group with this client as its only member, at epoch 0. */
  private async found(roomId: string): Promise<void> {
    const own = await this.keyPackages.fresh();
    const state = await createGroup(utf8.encode(roomId), own.publicPackage, own.privatePackage, [], this.cs);
    await this.enter(roomId, { state, seq: 0 });
  }

  /** Takes the room's group into use and follows the room from `room.seq` on. */
  private async enter(roomId: string, room: Room): Promise<void> {
    this.rooms.set(roomId, room);
    await this.save(roomId, room);
    // Live messages queue behind this task: what was sent between the group's seq and the join
    // comes from history first.
    await this.serially(roomId, async () => {
      const { last_seq } = await this.client.join(roomId);
      for (let after = room.seq; after < last_seq;) {
        const page = await this.history(roomId, after, HISTORY_PAGE);
        if (page.length === 0) break;
        for (const message of page) if (message.seq <= last_seq) await this.process(message);
        after = page[page.length - 1]!.seq;
      }
    });
    this.emit('joined', { room_id: roomId });
  }

  private history(roomId: string, afterSeq: number, limit: number): Promise<ChatMessage[]> {
    return this.client
      .request<{ messages: ChatMessage[] }>(
        'GET',
        `/api/rooms/${roomId}/messages?after_seq=${afterSeq}&limit=${limit}`,
      )
      .then((page) => page.messages);
  }

  /**
   * One commit that adds and removes users: their KeyPackages are claimed once, and the commit is
   * made again in the new epoch as long as another member's commit gets in first.
   */
  private async commit(
    roomId: string,
    change: { add: string[]; remove: string[] },
    contested = false,
  ): Promise<void> {
    const claimed = await Promise.all(
      change.add.map((userId) =>
        this.client.request<{ key_packages: { key_package: string }[] }>(
          'GET',
          `/api/mls/key-packages/${userId}`,
        ),
      ),
    );
    const adds: Proposal[] = claimed.flatMap(({ key_packages }) =>
      key_packages.flatMap(({ key_package }) => {
        const message = decodeMessage(key_package);
        return message?.wireformat === 'mls_key_package'
          ? [{ proposalType: 'add' as const, add: { keyPackage: message.keyPackage } }]
          : [];
      }),
    );
    for (let attempt = 0; ; attempt++) {
      const made = await this.serially(roomId, async () => {
        const room = this.roomOf(roomId);
        const removes: Proposal[] = this.leavesOf(room.state, change.remove).map((removed) => ({
          proposalType: 'remove' as const,
          remove: { removed },
        }));
        const result = await createCommit(
          { state: room.state, cipherSuite: this.cs },
          { extraProposals: [...adds, ...removes], ratchetTreeExtension: true },
        );
        const clientMsgId = crypto.randomUUID();
        this.pending.set(clientMsgId, { kind: 'commit', newState: result.newState });
        return {
          clientMsgId,
          // A group at epoch 0 is its founder's alone (a Welcome comes with a commit): in a
          // contested room, another member's group may have beaten it to the room.
          founding: contested && room.state.groupContext.epoch === 0n,
          epoch: room.state.groupContext.epoch,
          mls: encodeMessage(result.commit),
          welcome: result.welcome ? welcomeMessage(result.welcome) : undefined,
        };
      });
      try {
        const ack = await this.client.sendMls(
          roomId,
          {
            mls: made.mls,
            mls_commit: {
              added: adds.length > 0 ? change.add : [],
              removed: change.remove,
              ...(made.welcome && adds.length > 0 ? { welcome: made.welcome } : {}),
            },
          },
          made.clientMsgId,
        );
        await this.until(() => (this.rooms.get(roomId)?.seq ?? 0) >= ack.seq, RESYNC_WAIT_MS);
        return;
      } catch (error) {
        this.pending.delete(made.clientMsgId);
        if (!(error instanceof ChatError) || error.code !== 'stale_epoch' || attempt >= STALE_RETRIES)
          throw error;
        if (made.founding) return this.yieldFounding(roomId);
        await this.resync(roomId, made.epoch);
      }
    }
  }

  /**
   * Both members of a direct room founded its group at once and the other's first commit came
   * first: this client's group is dropped, and it joins the other's from the Welcome kept for it.
   */
  private async yieldFounding(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
    await this.store.delete(groupKey(roomId));
    await this.store.delete(seqKey(roomId));
    for (let tries = 0; !this.rooms.has(roomId) && tries < 30; tries++) {
      const { welcomes } = await this.client.request<{ welcomes: ServerFrameOf<'mls_welcome'>[] }>(
        'GET',
        '/api/mls/welcomes',
      );
      const welcome = welcomes.find((each) => each.room_id === roomId);
      if (welcome) await this.onWelcome(welcome);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The leaf indexes of the users' members in the group. */
  private leavesOf(state: ClientState, userIds: string[]): number[] {
    return state.ratchetTree.flatMap((node, index) =>
      node?.nodeType === 'leaf' &&
      node.leaf.credential.credentialType === 'basic' &&
      userIds.includes(fromUtf8.decode(node.leaf.credential.identity))
        ? [index / 2]
        : [],
    );
  }

  private onMessage(message: ChatMessage): Promise<void> | undefined {
    if (message.mls === undefined || !this.rooms.has(message.room_id)) return;
    return this.serially(message.room_id, () => this.process(message));
  }

  /** One message of the room, in seq order: applied to the group, and told if it is a text. */
  private async process(message: ChatMessage): Promise<void> {
    const room = this.rooms.get(message.room_id);
    if (!room || message.seq <= room.seq || message.mls === undefined) return;
    const own = message.sender_id === this.userId ? this.pending.get(message.client_msg_id ?? '') : undefined;
    try {
      if (own) {
        this.pending.delete(message.client_msg_id!);
        if (own.kind === 'commit') room.state = own.newState;
        else this.tell(message, own.text);
      } else {
        await this.apply(room, message);
      }
    } catch (error) {
      this.emit(
        'error',
        new ChatError('malformed_mls', `Seq ${message.seq} of ${message.room_id}: ${String(error)}`),
      );
    }
    room.seq = message.seq;
    if (room.state.groupActiveState.kind === 'removedFromGroup') {
      this.rooms.delete(message.room_id);
      await this.store.delete(groupKey(message.room_id));
      this.emit('removed', { room_id: message.room_id });
    } else {
      await this.save(message.room_id, room);
    }
    for (const wake of [...this.progress]) wake();
  }

  private async apply(room: Room, message: ChatMessage): Promise<void> {
    const decoded = decodeMessage(message.mls!);
    if (decoded?.wireformat !== 'mls_private_message' && decoded?.wireformat !== 'mls_public_message') {
      throw new Error('not an MLS private or public message');
    }
    // A message of an earlier epoch than the group's (the server refuses them) cannot be processed.
    const result = await processMessage(decoded, room.state, emptyPskIndex, acceptAll, this.cs);
    room.state = result.newState;
    if (result.kind === 'applicationMessage') this.tell(message, fromUtf8.decode(result.message));
  }

  private tell(message: ChatMessage, text: string): void {
    const { room_id, seq, message_id, sender_id, created_at } = message;
    this.emit('message', { room_id, seq, message_id, sender_id, text, created_at });
  }

  /** Joins a room's group from a Welcome made for one of this device's KeyPackages, then acknowledges it. */
  private async onWelcome({
    room_id,
    seq,
    welcome,
  }: Omit<ServerFrameOf<'mls_welcome'>, 'type'>): Promise<void> {
    if (this.rooms.has(room_id)) return;
    const decoded = decodeMessage(welcome);
    if (decoded?.wireformat !== 'mls_welcome') return;
    const state = await this.keyPackages.join(decoded.welcome);
    if (state) {
      await this.enter(room_id, { state, seq });
      await this.client.request('DELETE', `/api/mls/welcomes/${room_id}/${seq}`).catch(() => undefined);
      await this.topUp();
      return;
    }
    this.emit(
      'error',
      new ChatError('malformed_mls', `The Welcome of ${room_id} fits none of this device's KeyPackages.`),
    );
  }

  /** Waits until the room's group has moved past `epoch` (another member's commit was processed). */
  private resync(roomId: string, epoch: bigint): Promise<void> {
    return this.until(() => (this.epochOf(roomId) ?? epoch + 1n) > epoch, RESYNC_WAIT_MS);
  }

  private until(done: () => boolean, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.progress.delete(check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.progress.add(check);
    });
  }

  private roomOf(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new ChatError('not_member', `This client is not in the group of ${roomId}.`, roomId);
    return room;
  }

  /** Runs the task after every earlier task of the room. */
  private serially<T>(roomId: string, task: () => Promise<T>): Promise<T> {
    const result = (this.chains.get(roomId) ?? Promise.resolve()).then(task);
    this.chains.set(
      roomId,
      result.catch(() => undefined),
    );
    return result;
  }

  private async save(roomId: string, room: Room): Promise<void> {
    await this.store.set(groupKey(roomId), encodeGroupState(room.state));
    await this.store.set(seqKey(roomId), utf8.encode(String(room.seq)));
  }

  /** The groups the store holds: followed again from the seq each was saved at. */
  private async restore(): Promise<void> {
    for (const key of await this.store.keys('group/')) {
      const roomId = key.slice('group/'.length);
      const decoded = decodeGroupState((await this.store.get(key))!, 0);
      const seq = Number(fromUtf8.decode((await this.store.get(seqKey(roomId))) ?? utf8.encode('0')));
      if (decoded)
        await this.enter(roomId, { state: { ...decoded[0], clientConfig: defaultClientConfig }, seq });
    }
  }
}
