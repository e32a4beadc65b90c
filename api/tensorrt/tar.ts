// A POSIX ustar archive of a few in-memory files: enough for a Triton model repository entry,
// and readable by every tar (and by Python's tarfile).
const BLOCK = 512;

export interface TarEntry {
  path: string; // relative, '/'-separated; a trailing '/' makes a directory
  data?: Buffer;
}

export function tarArchive(entries: TarEntry[], mtime: Date): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    parts.push(header(entry.path, entry.path.endsWith('/') ? 0 : data.length, Math.floor(mtime.getTime() / 1000)));
    parts.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK)); // the end-of-archive marker
  return Buffer.concat(parts);
}

function header(path: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`tar: path '${path}' is over 100 bytes`);
  const block = Buffer.alloc(BLOCK);
  const directory = path.endsWith('/');
  block.write(path, 0, 100, 'utf8');
  octal(block, 100, 8, directory ? 0o755 : 0o644);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, mtime);
  block.write(directory ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  // The checksum is computed with its own field as spaces.
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
