import { open } from 'node:fs/promises';

/** Positional reads over a file or a buffer, so a zip's central directory and entries are read without
 * loading the whole archive. */
export interface RandomAccess {
  readonly size: number;
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function fileRandomAccess(path: string): Promise<RandomAccess> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(position, length) {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

export function memoryRandomAccess(bytes: Uint8Array): RandomAccess {
  return {
    size: bytes.length,
    read: (position, length) => Promise.resolve(bytes.subarray(position, Math.min(bytes.length, position + length))),
    close: () => Promise.resolve(),
  };
}
