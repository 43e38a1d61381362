import { MemoryNetwork, type PeerAddress, type Transport } from '../../../../runtime/node/net/index.js';

interface Received { from: PeerAddress; bytes: number[] }

function listen(transport: Transport): Received[] {
  const got: Received[] = [];
  transport.onDatagram((from, bytes) => got.push({ from, bytes: [...bytes] }));
  return got;
}

describe('MemoryNetwork', () => {
  test('delivers asynchronously, in order, with the sender as source', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    expect(a.localAddress).toEqual({ host: '127.0.0.1', port: 42000 });
    expect(b.localAddress).toEqual({ host: '127.0.0.1', port: 42001 });
    const atB = listen(b);
    for (let i = 0; i < 5; i++) a.send(b.localAddress, new Uint8Array([i]));
    expect(atB).toEqual([]); // nothing synchronously
    expect(net.inFlight).toBe(5);
    await net.settle();
    expect(atB).toEqual([0, 1, 2, 3, 4].map((i) => ({ from: a.localAddress, bytes: [i] })));
    expect(net.counters()).toEqual({ sent: 5, delivered: 5, dropped: 0 });
  });

  test('a datagram is a copy: the sender may reuse its buffer', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    const atB = listen(b);
    const buffer = new Uint8Array([1, 2, 3]);
    a.send(b.localAddress, buffer);
    buffer[0] = 9;
    await net.settle();
    expect(atB[0]!.bytes).toEqual([1, 2, 3]);
  });

  test('replies sent from a handler are delivered in a later turn; every handler is called', async () => {
    const net = new MemoryNetwork();
    const a = net.connect({ host: '10.0.0.1', port: 1 });
    const b = net.connect({ host: '10.0.0.2', port: 2 });
    const atA = listen(a);
    const second: number[] = [];
    b.onDatagram((from, bytes) => b.send(from, new Uint8Array([bytes[0]! + 1])));
    b.onDatagram((_, bytes) => second.push(bytes[0]!));
    a.send(b.localAddress, new Uint8Array([41]));
    await net.settle();
    expect(atA).toEqual([{ from: b.localAddress, bytes: [42] }]);
    expect(second).toEqual([41]);
  });

  test('endless traffic does not starve timers, and settle gives up on it', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    a.onDatagram((from, bytes) => a.send(from, bytes));
    b.onDatagram((from, bytes) => b.send(from, bytes));
    a.send(b.localAddress, new Uint8Array([1]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(net.delivered).toBeGreaterThan(2);
    await expect(net.settle(50)).rejects.toThrow(/still busy/);
    await a.close();
    await net.settle();
    expect(net.inFlight).toBe(0);
  });

  test('a datagram to an address nobody holds, or to a closed transport, is dropped silently', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    const atB = listen(b);
    a.send({ host: '10.9.9.9', port: 42000 }, new Uint8Array([1]));
    a.send(b.localAddress, new Uint8Array([2]));
    await b.close();
    await net.settle();
    expect(atB).toEqual([]);
    expect(net.counters()).toEqual({ sent: 2, delivered: 0, dropped: 2 });
    // the address is free again
    const again = net.connect(b.localAddress);
    const atAgain = listen(again);
    a.send(b.localAddress, new Uint8Array([3]));
    await net.settle();
    expect(atAgain.map((r) => r.bytes)).toEqual([[3]]);
    // a closed sender sends nothing
    await a.close();
    a.send(again.localAddress, new Uint8Array([4]));
    await net.settle();
    expect(atAgain.length).toBe(1);
  });

  test('addresses: taken ones are refused, port 0 picks a free one, non-IPv4 ones are refused', () => {
    const net = new MemoryNetwork();
    net.connect({ host: '10.0.0.1', port: 42000 });
    expect(() => net.connect({ host: '10.0.0.1', port: 42000 })).toThrow(/in use/);
    expect(net.connect({ host: '10.0.0.1', port: 0 }).localAddress).toEqual({ host: '10.0.0.1', port: 42001 });
    expect(() => net.connect({ host: '::1', port: 1 })).toThrow(RangeError);
  });

  test('datagrams larger than 65 536 bytes cannot arrive', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    const atB = listen(b);
    a.send(b.localAddress, new Uint8Array(65_537));
    a.send(b.localAddress, new Uint8Array(65_536));
    await net.settle();
    expect(atB.map((r) => r.bytes.length)).toEqual([65_536]);
    expect(net.dropped).toBe(1);
  });

  test('partition drops datagrams both ways between the groups, not within them; heal restores', async () => {
    const net = new MemoryNetwork();
    const [a, b, c, d] = [net.connect(), net.connect(), net.connect(), net.connect()];
    const got = new Map<Transport, number[]>();
    for (const t of [a!, b!, c!, d!]) { const list: number[] = []; got.set(t, list); t.onDatagram((_, bytes) => list.push(bytes[0]!)); }
    net.partition([a!.localAddress, b!.localAddress], [c!.localAddress, d!.localAddress]);
    a!.send(c!.localAddress, new Uint8Array([1]));
    d!.send(b!.localAddress, new Uint8Array([2]));
    a!.send(b!.localAddress, new Uint8Array([3]));
    c!.send(d!.localAddress, new Uint8Array([4]));
    await net.settle();
    expect([got.get(a!), got.get(b!), got.get(c!), got.get(d!)]).toEqual([[], [3], [], [4]]);
    expect(net.dropped).toBe(2);
    net.heal();
    a!.send(c!.localAddress, new Uint8Array([5]));
    d!.send(b!.localAddress, new Uint8Array([6]));
    await net.settle();
    expect([got.get(b!), got.get(c!)]).toEqual([[3, 6], [5]]);
  });

  test('a partition made while datagrams are in flight loses them', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    const atB = listen(b);
    a.send(b.localAddress, new Uint8Array([1]));
    net.partition([a.localAddress], [b.localAddress]);
    await net.settle();
    expect(atB).toEqual([]);
  });

  test('loss: each datagram is lost with the given probability, decided by the given generator', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    const atB = listen(b);
    let x = 0;
    const alternating = () => (x++ % 2 === 0 ? 0.1 : 0.9);
    net.setLoss(0.5, alternating);
    for (let i = 0; i < 10; i++) a.send(b.localAddress, new Uint8Array([i]));
    await net.settle();
    expect(atB.map((r) => r.bytes[0])).toEqual([1, 3, 5, 7, 9]);
    expect(net.counters()).toEqual({ sent: 10, delivered: 5, dropped: 5 });
    net.setLoss(1);
    a.send(b.localAddress, new Uint8Array([10]));
    net.setLoss(0);
    a.send(b.localAddress, new Uint8Array([11]));
    await net.settle();
    expect(atB.map((r) => r.bytes[0]).slice(5)).toEqual([11]);
    expect(() => net.setLoss(1.5)).toThrow(RangeError);
  });

  test('loss at a rate: about the right share is lost', async () => {
    const net = new MemoryNetwork();
    const a = net.connect();
    const b = net.connect();
    let seed = 7;
    const lcg = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    net.setLoss(0.3, lcg);
    let received = 0;
    b.onDatagram(() => received++);
    for (let i = 0; i < 5000; i++) a.send(b.localAddress, new Uint8Array([0]));
    await net.settle();
    expect(received).toBeGreaterThan(3300);
    expect(received).toBeLessThan(3700);
    expect(net.delivered + net.dropped).toBe(5000);
  });
});
