/**
 * The devnet's development keys (like anvil's funded accounts) and the registration of their
 * namespaces.
 *
 * **UNSAFE: these keys are public.** Anyone can derive them from the seed phrase written here;
 * never use them, or anything registered to them, outside a local development network.
 *
 * Derivation of key i (0…9): `k = keccak256(utf8("kindling devnet key " + i))` read as a
 * big-endian number, reduced into the valid secp256k1 range by `(k mod (n − 1)) + 1` (n the
 * curve order), written as 32 big-endian bytes. Its address and subject are the usual ones
 * (spec §6: the Ethereum address of the public key; the subject is its first 15 bytes).
 *
 * Each key owns the top-level namespace `Dev<i>` (a valid name: name characters only, at most
 * 12). Top-level namespaces can only be registered by the owner of the EMPTY namespace
 * (kindelia-runtime.md §12.5–12.6), which the default genesis gives to the "Namer", the subject
 * of secret key 1 (…0001 — public too). So the registrations are `reg Dev<i> { #subject_i }`
 * statements signed with secret key 1, and they are valid under the normal (non-sudo) rules.
 *
 * Why not in the genesis block itself: the genesis body is packed by the strict packer, at most
 * 1280 bytes (kindelia-node.md §2.3, §2.6), and the default genesis already takes 1173 of them;
 * a signed `reg` is 87 bytes in a body, so at most one more fits. The ten registrations are
 * therefore the body of one fixed **namespace block** at height 1 (prev = the genesis hash,
 * time 1, meta the first nonce that meets the target — the first one tried on a devnet), which
 * is the same block, with the same hash, on every devnet node and every run.
 */
import { CURVE_ORDER, bytesToHex, keccak256, keyInfo, signStatement } from '../../crypto/index.js';
import { encodeBlockBody, encodeTransaction, nameFromText, type Statement } from '../../kdl/index.js';
import { blockHash, genesisBlock, normalizeTransaction, type Block } from '../block/index.js';
import { searchNonce } from '../miner/index.js';
import type { ChainParams } from '../params.js';

/** How many development keys there are. */
export const DEV_KEY_COUNT = 10;

/** The seed phrase of key i is this text followed by i in decimal. */
export const DEV_KEY_SEED_PREFIX = 'kindling devnet key ';

/** Secret key 1: its subject owns the EMPTY namespace in the default genesis (the "Namer"). UNSAFE, public. */
export const NAMER_SECRET_KEY: string = `${'0'.repeat(63)}1`;

/** A development key. UNSAFE: public, for local devnets only. */
export interface DevKey {
  readonly index: number;
  /** 64 hexadecimal digits (a key file's content). */
  readonly secretKey: string;
  /** The 20-byte address, 40 hexadecimal digits (no `0x`). */
  readonly address: string;
  /** The U120 subject statements signed by this key have. */
  readonly subject: bigint;
  /** The top-level namespace registered to `subject` on a devnet (`Dev<index>`). */
  readonly namespace: string;
}

function hexToBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${bytesToHex(bytes)}`);
}

function secretKeyBytes(scalar: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = scalar;
  for (let i = 31; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** The secret key of development key `index` (see the derivation above). UNSAFE. */
export function devSecretKey(index: number): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`a development key index is a non-negative integer, got ${index}`);
  const digest = keccak256(new TextEncoder().encode(`${DEV_KEY_SEED_PREFIX}${index}`));
  return secretKeyBytes((hexToBigInt(digest) % (CURVE_ORDER - 1n)) + 1n);
}

let cached: readonly DevKey[] | undefined;

/** The ten development keys, index 0…9. UNSAFE: public keys for local devnets only. */
export function devKeys(): readonly DevKey[] {
  cached ??= Object.freeze(Array.from({ length: DEV_KEY_COUNT }, (_v, index): DevKey => {
    const info = keyInfo(devSecretKey(index));
    return Object.freeze({
      index, secretKey: bytesToHex(info.secretKey), address: bytesToHex(info.address), subject: info.subject, namespace: `Dev${index}`,
    });
  }));
  return cached;
}

let registrations: readonly Statement[] | undefined;

/** `reg Dev<i> { #subject_i }` for every key, each signed by the Namer (secret key 1). */
export function devNamespaceStatements(): readonly Statement[] {
  registrations ??= Object.freeze(devKeys().map((key) => signStatement(
    { tag: 'Reg', name: nameFromText(key.namespace), ownr: key.subject, sign: null },
    secretKeyBytes(1n),
  )));
  return registrations;
}

/**
 * The namespace block of a chain with the default genesis: the child of its genesis block
 * whose body is `devNamespaceStatements()`, at time 1, with the first nonce from meta 0 that
 * meets the initial target (a devnet's target accepts the first). Deterministic.
 */
export function devNamespaceBlock(params: ChainParams): Block {
  const body = encodeBlockBody(devNamespaceStatements().map((s) => normalizeTransaction(encodeTransaction(s))));
  if (body.length > params.maxBodyBytes) throw new RangeError(`the namespace block's body (${body.length} bytes) exceeds this chain's ${params.maxBodyBytes}`);
  const found = searchNonce({ prev: blockHash(genesisBlock(params)), time: 1n, meta: 0n, body }, params.initialTarget, 1 << 20);
  if (found === undefined) throw new Error('no nonce meets this chain\'s initial target within 2^20 tries: the namespace block needs an easy (devnet) target');
  return found;
}
