/** A min-heap of timed events; equal times leave in insertion order, so runs are deterministic. */
export interface EventQueue<T> {
  push(time: number, event: T): void;
  /** The earliest event, or undefined when empty. */
  pop(): { time: number; event: T } | undefined;
  readonly size: number;
}

interface Entry<T> {
  time: number;
  seq: number;
  event: T;
}

/** Creates an empty queue. */
export function createEventQueue<T>(): EventQueue<T> {
  const heap: Entry<T>[] = [];
  let seq = 0;
  const less = (x: Entry<T>, y: Entry<T>): boolean => x.time < y.time || (x.time === y.time && x.seq < y.seq);
  const at = (i: number): Entry<T> => heap[i] as Entry<T>;
  const swap = (i: number, j: number): void => {
    [heap[i], heap[j]] = [at(j), at(i)];
  };
  return {
    push(time, event) {
      heap.push({ time, seq: seq++, event });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(at(i), at(parent))) break;
        swap(i, parent);
        i = parent;
      }
    },
    pop() {
      if (heap.length === 0) return undefined;
      const top = at(0);
      const last = heap.pop() as Entry<T>;
      if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let smallest = i;
          if (left < heap.length && less(at(left), at(smallest))) smallest = left;
          if (right < heap.length && less(at(right), at(smallest))) smallest = right;
          if (smallest === i) break;
          swap(i, smallest);
          i = smallest;
        }
      }
      return { time: top.time, event: top.event };
    },
    get size() {
      return heap.length;
    },
  };
}
