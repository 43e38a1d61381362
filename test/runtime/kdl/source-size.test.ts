import { KdlSourceSizeError, MAX_KDL_SOURCE_BYTES, checkKdlSourceSize } from '../../../runtime/kdl/index.js';

describe('the largest .kdl source', () => {
  test('up to MAX_KDL_SOURCE_BYTES is fine; one byte more is refused, saying how large and how large it may be', () => {
    expect(MAX_KDL_SOURCE_BYTES).toBe(64 * 1024 * 1024);
    expect(() => checkKdlSourceSize(MAX_KDL_SOURCE_BYTES, 'a.kdl')).not.toThrow();
    let err: unknown;
    try { checkKdlSourceSize(100 * 1024 * 1024, 'big.kdl'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(KdlSourceSizeError);
    const sized = err as KdlSourceSizeError;
    expect(sized.name).toBe('KdlSourceSizeError');
    expect(sized.message).toBe('big.kdl: the file has 100.0 MiB; a .kdl source may have at most 64.0 MiB (67,108,864 bytes)');
    expect([sized.file, sized.bytes]).toEqual(['big.kdl', 100 * 1024 * 1024]);
    expect(() => checkKdlSourceSize(MAX_KDL_SOURCE_BYTES + 1, 'b.kdl')).toThrow(KdlSourceSizeError);
  });
});
