declare module 'kafkajs-snappy' {
  /** A kafkajs compression codec: compress and decompress a record batch. */
  const SnappyCodec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default SnappyCodec;
}
