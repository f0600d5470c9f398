export {
  EncryptedRooms,
  type DecryptedMessage,
  type EncryptedRoomEvents,
  type EncryptedRoomsOptions,
} from './encrypted-rooms';
export { MemoryKeyStore, type MlsKeyStore } from './key-store';
