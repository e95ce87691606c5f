/** A fixed-size set of small non-negative integers (doc ids), for fast AND / OR / AND NOT. */
export class Bitset {
  readonly bits: Uint32Array

  constructor(readonly size: number) {
    this.bits = new Uint32Array((size + 31) >>> 5)
  }

  set(i: number): void {
    this.bits[i >>> 5] |= 1 << (i & 31)
  }

  has(i: number): boolean {
    return (this.bits[i >>> 5] & (1 << (i & 31))) !== 0
  }

  and(other: Bitset): Bitset {
    for (let i = 0; i < this.bits.length; i++) this.bits[i] &= other.bits[i] ?? 0
    return this
  }

  or(other: Bitset): Bitset {
    for (let i = 0; i < this.bits.length; i++) this.bits[i] |= other.bits[i] ?? 0
    return this
  }

  andNot(other: Bitset): Bitset {
    for (let i = 0; i < this.bits.length; i++) this.bits[i] &= ~(other.bits[i] ?? 0)
    return this
  }

  /** Member ids in ascending order. */
  ids(): number[] {
    const out: number[] = []
    for (let w = 0; w < this.bits.length; w++) {
      let word = this.bits[w]
      while (word !== 0) {
        const low = word & -word
        out.push((w << 5) + 31 - Math.clz32(low))
        word ^= low
      }
    }
    return out
  }
}
