import type { ChatClient } from '@chat/client';

export async function typingPresenceAndFiles(
  [alice, bob]: [ChatClient, ChatClient], // both in `room`
  room: string,
  photo: Blob,
  show: (line: string) => void,
) {
  bob.on('typing', (t) => show(`${t.user_id} ${t.state === 'start' ? 'is typing' : 'stopped typing'}`));
  bob.on('presence', (p) => show(`${p.user_id} is ${p.status}`));
  bob.on('message', (m) => m.file && show(`${m.sender_id} shared ${m.file.file_name}`));

  alice.typing(room); // repeat at least every 3 s while typing; it lapses 5 s after the last one
  alice.typing(room, 'stop');
  alice.setPresence('away'); // what her rooms' members see, set again after every reconnect

  // Upload (to object storage, checked by the server), then share it as a message of type `file`.
  const file = await alice.uploadFile(room, { name: 'photo.png', type: 'image/png', data: photo });
  await alice.shareFile(room, file);
}
