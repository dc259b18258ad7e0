/**
 * The sourcedIds a file has had so far, with the line each was first on, for the duplicate check. A
 * million enrollments would take ~80 MB as a Map of strings (each row's id kept alive only for this), so
 * the ids are kept as two independent 32-bit hashes in an open-addressing table of typed arrays (12
 * bytes a slot, ~24 MB for a million). Two different ids match only if both hashes collide: about one
 * chance in 30 million for a million-row file, and then the import is refused naming both lines (so the
 * admin can see the ids differ) rather than anything being lost.
 */
export class SeenIds {
  private first = new Int32Array(1024);
  private second = new Int32Array(1024);
  /** 0 = empty slot (a data row is never on line 0). */
  private lines = new Int32Array(1024);
  private count = 0;

  /** The line the id was first seen on, or undefined; records it on `line` when it is new. */
  firstLineOrAdd(id: string, line: number): number | undefined {
    const [a, b] = hashes(id);
    const slot = this.find(a, b);
    if (this.lines[slot] !== 0) return this.lines[slot];
    this.first[slot] = a;
    this.second[slot] = b;
    this.lines[slot] = line;
    if (++this.count * 2 > this.lines.length) this.grow();
    return undefined;
  }

  private find(a: number, b: number): number {
    const mask = this.lines.length - 1;
    let slot = a & mask;
    while (this.lines[slot] !== 0 && (this.first[slot] !== a || this.second[slot] !== b)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { first, second, lines } = this;
    this.first = new Int32Array(lines.length * 2);
    this.second = new Int32Array(lines.length * 2);
    this.lines = new Int32Array(lines.length * 2);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      const slot = this.find(first[i]!, second[i]!);
      this.first[slot] = first[i]!;
      this.second[slot] = second[i]!;
      this.lines[slot] = lines[i]!;
    }
  }
}

/** FNV-1a and a murmur-style mix over the UTF-16 code units: independent enough for the check above. */
function hashes(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 13), 0x5bd1e995);
  return [a | 0, (b ^ (b >>> 15)) | 0];
}
