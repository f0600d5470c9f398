import type { VerifiedFile } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { DecisionContext } from '../room-command';
import { roomDecider } from '../room-decider';
import { as, privateRoom, ROOM, T1 } from '../rooms/room.fixtures';

const FILE_ID = 'file_AAAAAAAAAAAAAAAAAAAAAA';
const verified: VerifiedFile = {
  file_id: FILE_ID,
  room_id: ROOM,
  file_name: 'plan.pdf',
  content_type: 'application/pdf',
  size: 1234,
  file_url: `/api/media/${FILE_ID}`,
};

const shareFile = (
  file: { file_id: string; file_name: string; file_size: number } | undefined,
  context: Partial<DecisionContext>,
  actor = 'alice',
) =>
  as(
    actor,
    {
      type: 'SendMessage',
      data: {
        room_id: ROOM,
        content: 'plan.pdf',
        message_type: 'file',
        client_msg_id: 'c1',
        ...(file ? { file } : {}),
      },
    },
    { decided_at: T1, ...context },
  );
const reference = { file_id: FILE_ID, file_name: 'plan.pdf', file_size: 1234 };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const inRoom = given(roomDecider, privateRoom('alice', 'bob'));

describe('SendMessage of a file', () => {
  it('posts a verified upload of the room as a file message', () => {
    const decided = inRoom(shareFile(reference, { shared_file: verified }));
    expect(decided).toMatchObject({
      ok: true,
      value: [
        {
          type: 'MessageSent',
          data: {
            seq: 1,
            content: 'plan.pdf',
            message_type: 'file',
            file: {
              file_id: FILE_ID,
              file_name: 'plan.pdf',
              file_size: 1234,
              content_type: 'application/pdf',
              file_url: `/api/media/${FILE_ID}`,
            },
          },
        },
      ],
    });
  });

  it('refuses a file this service knows no verified upload of', () => {
    expect(inRoom(shareFile(reference, {}))).toEqual(refused('file_not_verified'));
  });

  it("refuses another room's upload", () => {
    expect(inRoom(shareFile(reference, { shared_file: { ...verified, room_id: 'elsewhere' } }))).toEqual(
      refused('file_not_verified'),
    );
  });

  it('refuses a name or size other than the upload’s', () => {
    expect(inRoom(shareFile({ ...reference, file_size: 1 }, { shared_file: verified }))).toEqual(
      refused('invalid_request'),
    );
    expect(inRoom(shareFile({ ...reference, file_name: 'other.pdf' }, { shared_file: verified }))).toEqual(
      refused('invalid_request'),
    );
  });

  it('refuses a file message without a file, and a text message with one', () => {
    expect(inRoom(shareFile(undefined, { shared_file: verified }))).toEqual(refused('invalid_frame'));
    const textWithFile = as(
      'alice',
      {
        type: 'SendMessage',
        data: { room_id: ROOM, content: 'hi', message_type: 'text', client_msg_id: 'c2', file: reference },
      },
      { shared_file: verified },
    );
    expect(inRoom(textWithFile)).toEqual(refused('invalid_frame'));
  });

  it("refuses an outsider, even with the room's verified upload", () => {
    expect(inRoom(shareFile(reference, { shared_file: verified }, 'mallory'))).toEqual(
      refused('room_not_found'),
    );
  });
});
