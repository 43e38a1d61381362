import dgram from 'node:dgram';
import { DEFAULT_UDP_PORTS, UdpBindError, openUdpTransport, type PeerAddress, type Transport } from '../../../../runtime/node/net/index.js';

const HOST = '127.0.0.1';
const open: Array<{ close(): unknown }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function track<T extends { close(): unknown }>(t: T): T {
  open.push(t);
  return t;
}

/** A UDP socket holding a free loopback port (the kernel's choice), kept until the test ends. */
async function holdPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(0, HOST, () => resolve()); });
  track({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return socket.address().port;
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(0, HOST, () => resolve()); });
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function nextDatagram(t: Transport): Promise<{ from: PeerAddress; bytes: Uint8Array }> {
  return new Promise((resolve) => t.onDatagram((from, bytes) => resolve({ from, bytes })));
}

describe('openUdpTransport', () => {
  test('two transports on 127.0.0.1, port 0, exchange datagrams', async () => {
    const a = track(await openUdpTransport({ host: HOST, port: 0 }));
    const b = track(await openUdpTransport({ host: HOST, port: 0 }));
    expect(a.localAddress.host).toBe(HOST);
    expect(a.localAddress.port).toBeGreaterThan(0);
    expect(b.localAddress.port).not.toBe(a.localAddress.port);

    const atB = nextDatagram(b);
    a.send(b.localAddress, new Uint8Array([0xe0, 0x00, 0x7f, 0x53, 0x00]));
    const got = await atB;
    expect([...got.bytes]).toEqual([0xe0, 0x00, 0x7f, 0x53, 0x00]);
    expect(got.bytes).toBeInstanceOf(Uint8Array);
    expect(got.from).toEqual(a.localAddress);

    const atA = nextDatagram(a);
    b.send(got.from, new Uint8Array([1, 2, 3]));
    expect([...(await atA).bytes]).toEqual([1, 2, 3]);
  });

  test('a port already taken: the next port of the list is used', async () => {
    const taken = await holdPort();
    const spare = await freePort();
    const t = track(await openUdpTransport({ host: HOST, ports: [taken, spare] }));
    expect(t.localAddress).toEqual({ host: HOST, port: spare });
  });

  test('no port of the list binds: an error naming the ports', async () => {
    const p1 = await holdPort();
    const p2 = await holdPort();
    const failure = openUdpTransport({ host: HOST, ports: [p1, p2] });
    await expect(failure).rejects.toThrow(UdpBindError);
    await expect(failure).rejects.toThrow(new RegExp(`Could not open a UDP socket on ${HOST}: none of the ports ${p1}, ${p2}`));
  });

  test('an exact port is that port or an error, never another one', async () => {
    const taken = await holdPort();
    await expect(openUdpTransport({ host: HOST, port: taken, ports: [0] })).rejects.toThrow(`port ${taken}`);
    const spare = await freePort();
    const t = track(await openUdpTransport({ host: HOST, port: spare }));
    expect(t.localAddress.port).toBe(spare);
  });

  test('IPv4 only: IPv6 and names are refused for binding and sending', async () => {
    await expect(openUdpTransport({ host: '::1', port: 0 })).rejects.toThrow(RangeError);
    await expect(openUdpTransport({ host: 'localhost', port: 0 })).rejects.toThrow(RangeError);
    await expect(openUdpTransport({ host: HOST, ports: [70_000] })).rejects.toThrow(RangeError);
    const errors: Error[] = [];
    const t = track(await openUdpTransport({ host: HOST, port: 0, onError: (e) => errors.push(e) }));
    t.send({ host: '::1', port: 42000 }, new Uint8Array([1]));
    t.send({ host: 'localhost', port: 42000 }, new Uint8Array([1]));
    t.send({ host: HOST, port: 0 }, new Uint8Array([1]));
    expect(errors.length).toBe(3);
  });

  test('the default ports are 42000…42003', () => {
    expect(DEFAULT_UDP_PORTS).toEqual([42000, 42001, 42002, 42003]);
  });

  test('close is idempotent, frees the port, and later sends are ignored', async () => {
    const t = await openUdpTransport({ host: HOST, port: 0 });
    const port = t.localAddress.port;
    await t.close();
    await t.close();
    t.send({ host: HOST, port }, new Uint8Array([1]));
    const again = track(await openUdpTransport({ host: HOST, port }));
    expect(again.localAddress.port).toBe(port);
  });
});
