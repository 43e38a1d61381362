/**
 * Interned names: every constructor/function name that reaches memory gets a small
 * integer id, so cells stay 32-bit words and the arity/function tables are arrays.
 * The table only grows; ids are internal and never part of the state's meaning (two
 * runtimes may give different ids to the same name).
 */
export class NameTable {
  private readonly ids = new Map<bigint, number>();
  private readonly names: bigint[] = [];
  /** ids of names below 2^53 by their number value (skips BigInt hashing on the IO path). */
  private readonly smallIds = new Map<number, number>();

  /** The id of `name`, interning it if needed. */
  idOf(name: bigint): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** idOf of a name given as a safe integer. */
  idOfNumber(name: number): number {
    let id = this.smallIds.get(name);
    if (id === undefined) {
      id = this.idOf(BigInt(name));
      this.smallIds.set(name, id);
    }
    return id;
  }

  /** The id of `name`, or -1 when it was never interned (then nothing is defined under it). */
  find(name: bigint): number {
    return this.ids.get(name) ?? -1;
  }

  nameOf(id: number): bigint {
    const name = this.names[id];
    if (name === undefined) throw new RangeError(`no name with id ${id}`);
    return name;
  }

  get size(): number {
    return this.names.length;
  }
}
