import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator'

/** A seeded random source for the world generator. The same seed yields the same draws. */
export class Random {
  readonly #generator: JumpableRandomGenerator

  constructor(generator: JumpableRandomGenerator) {
    this.#generator = generator
  }

  /** Creates the root source for `seed`. */
  static fromSeed(seed: number): Random {
    return new Random(xoroshiro128plus(seed))
  }

  /**
   * Returns an independent source `index` jumps ahead of this one, so that each part of the
   * world draws from its own sequence and a change in one part leaves the others unchanged.
   */
  stream(index: number): Random {
    const generator = this.#generator.clone()
    for (let jump = 0; jump <= index; jump++) generator.jump()
    return new Random(generator)
  }

  /** Returns an integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.#generator, min, max)
  }

  /** Returns a float in [0, 1). */
  float(): number {
    return uniformFloat64(this.#generator)
  }

  /** Returns a float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float()
  }

  /** Returns true with probability `probability`. */
  chance(probability: number): boolean {
    return this.float() < probability
  }

  /** Returns one element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.int(0, index)
      const item = items[index] as T
      items[index] = items[other] as T
      items[other] = item
    }
    return items
  }
}

/** Draws values by weight in O(log n) per draw. */
export class WeightedTable<T> {
  readonly #values: T[]
  readonly #cumulative: number[]

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.#values = entries.map(([value]) => value)
    let total = 0
    this.#cumulative = entries.map(([, weight]) => {
      total += weight
      return total
    })
  }

  /** Draws one value. */
  draw(random: Random): T {
    const total = this.#cumulative[this.#cumulative.length - 1] ?? 0
    const target = random.float() * total
    let low = 0
    let high = this.#cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >> 1
      if ((this.#cumulative[middle] as number) > target) high = middle
      else low = middle + 1
    }
    return this.#values[low] as T
  }
}
