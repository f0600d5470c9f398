type Version<K, V> = { map: Map<K, V> } | Undo<K, V>;

/** How to turn the newer version `next` back into this one: restore `key` to `value` (or absence). */
interface Undo<K, V> {
  key: K;
  present: boolean;
  value: V | undefined;
  next: PersistentMap<K, V>;
}

/**
 * An immutable map whose updates cost O(1) when made on its newest version, which is how a
 * decider's state grows: every event folds into the latest state. Copying a Map per event would
 * make loading a long stream quadratic.
 *
 * The newest version owns a mutable Map; every older version is a chain of undo records leading
 * to it. Reading an older version "reroots" the chain (replays the undos and reverses them), so
 * every version keeps answering exactly as it did: the mutation is never observable. This is
 * Baker's trick, as in Conchon & Filliâtre's persistent arrays.
 */
export class PersistentMap<K, V> {
  private constructor(private version: Version<K, V>) {}

  static empty<K, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>({ map: new Map() });
  }

  get size(): number {
    return this.reroot().size;
  }

  get(key: K): V | undefined {
    return this.reroot().get(key);
  }

  has(key: K): boolean {
    return this.reroot().has(key);
  }

  /** The entries of this version, as a new array. */
  entries(): [K, V][] {
    return [...this.reroot()];
  }

  set(key: K, value: V): PersistentMap<K, V> {
    return this.change(key, true, value);
  }

  delete(key: K): PersistentMap<K, V> {
    return this.has(key) ? this.change(key, false, undefined) : this;
  }

  private change(key: K, present: boolean, value: V | undefined): PersistentMap<K, V> {
    const map = this.reroot();
    // An empty map is free to copy: every aggregate starts from the same empty initial state, and
    // branching there instead of sharing one chain keeps aggregates from rerooting each other.
    // (Deleting never starts from an empty map: `delete` only changes a map that has the key.)
    if (map.size === 0) return new PersistentMap<K, V>({ map: new Map([[key, value as V]]) });
    const undo = { key, present: map.has(key), value: map.get(key) };
    if (present) map.set(key, value as V);
    else map.delete(key);
    const next = new PersistentMap<K, V>({ map });
    this.version = { ...undo, next };
    return next;
  }

  private reroot(): Map<K, V> {
    if ('map' in this.version) return this.version.map;
    // The versions from this one up to (not including) the root, which owns the map.
    const path: PersistentMap<K, V>[] = [this];
    let root = this.version.next;
    while (!('map' in root.version)) {
      path.push(root);
      root = root.version.next;
    }
    const map = root.version.map;
    // Walk back from the root towards this version, undoing one change per step and recording
    // the inverse change on the version that just stopped being the root.
    for (let index = path.length - 1; index >= 0; index--) {
      const version = path[index]!;
      const undo = version.version as Undo<K, V>;
      undo.next.version = {
        key: undo.key,
        present: map.has(undo.key),
        value: map.get(undo.key),
        next: version,
      };
      if (undo.present) map.set(undo.key, undo.value as V);
      else map.delete(undo.key);
      version.version = { map };
    }
    return map;
  }
}
