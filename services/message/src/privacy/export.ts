import type { AccountExport, ChainedAuditRecord, ChatMessage } from '@chat/contracts';
import { fileUrlOf } from '@chat/contracts';
import type { AuditReadModel } from '../audit/application/port';
import type { MessageReadModel } from '../read-model/port';

/** Messages opened at once. */
const OPEN_PAGE = 100;

/** Audit records read at once. */
const AUDIT_PAGE = 200;

/** Who the export is of, and what the request knows of them. */
export interface ExportSubject {
  userId: string;
  /** The roles of the token that asked, when it is the user's own. */
  roles: string[];
  exportedAt: string;
}

/**
 * A user's export as JSON text, piece by piece: the document is one object whose arrays are
 * written as their rows are read, so an account of any size passes in bounded memory. Its shape
 * is `AccountExport`.
 */
export async function* exportDocument(
  sources: {
    readModel: MessageReadModel;
    audit: AuditReadModel;
    /** Opens sealed content, as history shows it. */
    openMessages(messages: ChatMessage[]): Promise<ChatMessage[]>;
    /** Opens a file's name, as the media service sealed it. */
    openFileName(fileId: string, name: string): Promise<string>;
  },
  subject: ExportSubject,
): AsyncGenerator<string> {
  const { readModel, audit, openMessages, openFileName } = sources;
  const { userId } = subject;
  const data = readModel.personalData(userId);
  const profile: AccountExport['profile'] = {
    user_id: userId,
    roles: subject.roles,
    erased: await readModel.isErased(userId),
  };
  yield `{"user_id":${JSON.stringify(userId)},"exported_at":${JSON.stringify(subject.exportedAt)}`;
  yield `,"profile":${JSON.stringify(profile)}`;
  yield* section('memberships', data.memberships);
  yield* section('messages', openedInPages(data.messages, openMessages));
  yield* section('reactions', data.reactions);
  yield* section('receipts', data.receipts);
  yield* section(
    'files',
    mapRows(data.files, async ({ file_id, room_id, file_name, size, content_type, verified_at }) => ({
      file_id,
      room_id,
      file_name: await openFileName(file_id, file_name),
      file_size: size,
      content_type,
      uploaded_at: verified_at,
      file_url: fileUrlOf(file_id),
    })),
  );
  yield* section('push_subscriptions', data.pushSubscriptions);
  yield* section('webhooks', data.webhooks);
  yield* section('mutes', data.mutes);
  yield `,"presence":${JSON.stringify({ last_seen: await data.lastSeen() })}`;
  yield* section('audit', auditRecordsOf(audit, userId));
  yield '}';
}

/** `,"name":[row,row,…]`, each row written as it is read. */
async function* section<T>(name: keyof AccountExport, rows: AsyncIterable<T>): AsyncGenerator<string> {
  yield `,${JSON.stringify(name)}:[`;
  let first = true;
  for await (const row of rows) {
    yield `${first ? '' : ','}${JSON.stringify(row)}`;
    first = false;
  }
  yield ']';
}

/** Messages opened a page at a time: keys are looked up once per page, memory stays bounded. */
async function* openedInPages(
  messages: AsyncIterable<ChatMessage>,
  open: (page: ChatMessage[]) => Promise<ChatMessage[]>,
): AsyncGenerator<ChatMessage> {
  let page: ChatMessage[] = [];
  for await (const message of messages) {
    page.push(message);
    if (page.length < OPEN_PAGE) continue;
    yield* await open(page);
    page = [];
  }
  if (page.length > 0) yield* await open(page);
}

async function* mapRows<T, U>(rows: AsyncIterable<T>, map: (row: T) => Promise<U> | U): AsyncGenerator<U> {
  for await (const row of rows) yield await map(row);
}

/** The audit records of what the user did or what was done to them, newest first, without their chain fields. */
async function* auditRecordsOf(audit: AuditReadModel, userId: string): AsyncGenerator<unknown> {
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await audit.query({ concerning: userId, ...(beforeSeq ? { beforeSeq } : {}) }, AUDIT_PAGE);
    for (const { seq: _seq, prev_hash: _prev, hash: _hash, ...record } of page as ChainedAuditRecord[]) {
      yield record;
    }
    if (page.length < AUDIT_PAGE) return;
    beforeSeq = page[page.length - 1]!.seq;
  }
}
