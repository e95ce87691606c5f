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

  /** Number of members. */
  count(): number {
    let n = 0
    for (let w = 0; w < this.bits.length; w++) {
      let v = this.bits[w] | 0
      v -= (v >>> 1) & 0x55555555
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
      n += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24)
    }
    return n
  }

  /** Member ids in ascending order. */
  ids(): Int32Array {
    const out = new Int32Array(this.count())
    let n = 0
    for (let w = 0; w < this.bits.length; w++) {
      // `| 0` keeps the word an int32 throughout (a uint32 above 2^31 would be a heap number and deopt).
      let word = this.bits[w] | 0
      while (word !== 0) {
        const low = word & -word
        out[n++] = (w << 5) + 31 - Math.clz32(low)
        word ^= low
      }
    }
    return out
  }
}
