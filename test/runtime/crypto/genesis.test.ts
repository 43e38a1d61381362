import { GENESIS_TEXT, encodeBlockBody, encodeTransaction, parseStatements, decodeBlockBody, decodeTransaction, statementEquals } from '../../../runtime/kdl/index.js';
import { bytesToHex, keccak256, statementHash } from '../../../runtime/crypto/index.js';

const genesis = parseStatements(GENESIS_TEXT).statements;

// Appendix A: statement hashes and padded transaction lengths, by index.
const HASHES = [
  '950b14fd4661c7571be06240f12fdafa002e2a49fdd287e1b5f34b9fb38b72c3', 'ece91e701d184c2dd8886557aa65229ed63ac2f3fcf38692847f86bd12bcb6cb',
  'dc61557770722d02fc9f39bb91853d4523d5af9e2edf3a4f13742b1c2cf38eb7', 'e466390f9435585486bc1c9bd79f5ac43673a33505572ec833c8ac76437e7fae',
  '139a99fc37d6d3ce7f0615b37fd06f190f533b27a9114384dcac7f333dde48e3', '0478de1b5a84be3974d1723806048d603f5786de368207ab787473a4a18409a9',
  '458abb7291f600409ed064c2a1b9be1abb776b45a34659f2bac9297742b2cc95', '5b8acdfeb427c397dd09037675c68a664c5795494419b317aaaebf15d41c67b3',
  '61645c21c750386d09f1b630864aae5debdf6cd7c162131f129224515710dbda', '745db81dca8834866ffe16125b2ebee9652b746f833d097b6b70a63070f46fc2',
  '55c685a0c414af92616bed71ed3ea22dd3caf8d23de86a211451c5f46c670dad', 'd2286b1cc00341548f879ceb58bed820af3219f364891b044d61c06f15d863b7',
  '09ae526bd164ef2ca68ef7ee15b0c8bc92105024b6dcf19dadd877097450051a', '4cc5728bcd2c6acf0f23bd9e85168d4663805c723649ffd1cbbcfe932ed5cf44',
  '403310b7a6ed565d8622bd3b9334841803ebc2f6b4f308dc35f3ba3ea4698ebe', '3aa3cd0fb6ff700780f8563ec61fc0f4958f9e88384afcab7699cc35839f075c',
  'd7709f15b7e09356e1302b696bc94ab9d74752575b23c2d783aa296249c9acf2', 'dd10ff7b6ab1c5d34a4f2c26deca65e59a7b6e477bae3bf7d256f96618f436b8',
  '217a6817128bbf2e5ff5c43d806e4137be60f55fab3a63325fdd6cac6a5e1356', 'cb74b960be3a16215451e7769ea7fb46ba858f312c96a64f8fa4cb33b923c000',
  'ef7de44d608184a7c9cebb6770c122cf1699ac417bb764cbd7b0af9c88b4fde7', '57e019d8f990e5d9e83d78fd97a32fee4a800b4e2c82d8f990719aad58f2e285',
  '6f19f5345fe120e52bb32776a4a9f4643b17009764af707856c5437b804f5f4a', '1a5466fd046f412d8eb738939ba8fa9c80a890a6260a2449adfc2bfcca056782',
  'db3932dd32a56336695d1b83e0ecf484633622c8ad3a7eb208fc55a07a25c779', '6ac47b42c5e8c41eb57b7e3f04a65d5e8e285c416a13507df333b914e565a9de',
  'ac565f45c451c5b16d2663ff2062cad2ebe831d20e5f3c5bed7963065a16418f', 'cd0932542526d5e47111d230ec8c5cea53b368d2685fdc4f4959dea82890c59f',
  '4171d8ae7856d3b01422674b7b738bc47a0225ecba0b30a487a5d52d13a10506', '49def97c86b7efdca047bcbe2608f6705ec57a9803d81b6cbbf49abdd8be3397',
  'a531841ddde29e30028bda1240cd4a95e79dd1c62f874c8e600e10f23ab2e162', '1c64991a54d6dfdfe057e93aac4800ab4e5031809cb7255646a2148e6b98b380',
  'd862e4ab16ea71c6f03ef3e773ee65fb2565e8f159cba802966267af771f939f', '86825eef7b03b8de0501f2406d7f3b89eea13f970f952ed4579c1d57902f9026',
  '7cb2a14f3b001c6f724644a0f9c703a18370fc648369a7d216794d17193c3fb5', '6630bdbd42f0cdd138843b28ca785b13fb0426aee953dace1e5ad4044c71fe63',
  '15eef29f4f6be11b9bf858e5b56a100aaa54d0e7cdfe2ca266796bcba843e5c5', '4d6960c719194938f43e1906fbb98802920256fdbc359f5dfc56473f3357e17c',
  '9ed5c5ab00157d253b13752341471c747eeb8f37d6351259adc04f6ea6a23af7', '1410751d5ae37bff88a1e4684125a007495b5ddb6a9d33bc6c4d8247b1bffdc2',
  '34327a56e0fbfa171ea3ebfb3034c5191efc9568a7fb83fdb58537a5796f57e6', '329b36db8da099b3d8d8795619a2a798173949107c7e3db43fecde4452059839',
  '47c78618f46b097928897746739bd69d55392c0e2923eefc34c5e1d1f7dc331e', 'bf9092946057d25ffc81d27074073f70bfdee9f1c4fbae7bcb6f929c165a875f',
  'c8686a46198902cc7de042dba91c52dee247a8d089108c6da6931062647c7d25', 'ade482411497cf98d2fab60ac93d260481edfe9cb62d79aae6224587e63ff732',
  '5a681fa8b499fc7ab75fc930241b845345a9dd67f6c570932cc0c36c27f93df9', '39adbc52eb645365e7f953152c7dfd11d642b4cff04b611fa43412b431354bd0',
  'f75851cc8ba1fcbb0e442d5c4aeb56ef280276df1d5457fef644571b317064bb', '19e48a41b379ba2f0f018f2cdc9af56b9e84921bcfef57def49dfc8f9ad25627',
  'cf561858d05a0856e7d410ea73ee051c3a2fc73c2d667a86946653a6752ad9ca', '96f3ce4074207be2f66ff2f2fe4b0fceccb200c6dd104cfac38bd77d9f3e9310',
  'a62493abde7f1cb360dce7d742a76e37306dd4dd72b6334260409a532a1d2d99', 'cea8a7b134e09ffcf0d7580889180cf27893ec8796076f40b7b16f2183f62d3a',
  'df3e89e6202fd9005e5241cc5e581c46e883deda54d7290e482d1cad99b52d23', '80acc0ec0006ec4b98737bfac8033c3a058acfa8a0086aac4d56f4fa961d9261',
];
const PADDED = [5, 5, 10, 10, 15, 15, 20, 20, 20, 25, 25, 30, 30, 35, 40, 40, 45, 25, 10, 10, 20, 10, 15, 15, 25, 20, 30, 10, 15, 10,
  15, 10, 15, 15, 25, 15, 30, 15, 30, 10, 15, 10, 15, 10, 15, 10, 15, 10, 15, 15, 25, 35, 5, 5, 55, 20];

/** The block hash preimage of spec §5.8: prev (32 bytes BE), time and meta (16 bytes LE each), body. */
function genesisBlockDigest(body: Uint8Array): Uint8Array {
  const preimage = new Uint8Array(32 + 16 + 16 + body.length);
  preimage.set(body, 64);
  return keccak256(preimage);
}

describe('genesis hashes and block (Appendix A)', () => {
  test('every statement hash', () => {
    expect(genesis.map((s) => bytesToHex(statementHash(s)))).toEqual(HASHES);
  });

  test('transactions are padded to a non-zero multiple of 5 bytes', () => {
    expect(genesis.map((s) => encodeTransaction(s).length)).toEqual(PADDED);
  });

  test('the genesis body is 1173 bytes, starts as the spec shows, and its digest matches', () => {
    const body = encodeBlockBody(genesis.map(encodeTransaction));
    expect(body.length).toBe(1173);
    expect(bytesToHex(body.slice(0, 27))).toBe('1ca000860bc00000a000850bcb04f05000870bcb04f54278000000');
    expect(bytesToHex(genesisBlockDigest(body))).toBe('837d2ccfbb8c40b91ae77eb238ed23719613dccbabb5bc4c5a8fd05dc2bdba42');
  });

  test('the body decodes back to the same statements', () => {
    const back = decodeBlockBody(encodeBlockBody(genesis.map(encodeTransaction))).map(decodeTransaction);
    expect(back.length).toBe(56);
    back.forEach((s, i) => expect(statementEquals(s, genesis[i]!)).toBe(true));
  });

  test('a body cut short yields only the whole transactions (no crash, spec §15 H8)', () => {
    const body = encodeBlockBody(genesis.slice(0, 3).map(encodeTransaction));
    expect(decodeBlockBody(body.slice(0, body.length - 1)).length).toBe(2);
    expect(decodeBlockBody(body.slice(0, 1 + 2 + 5 + 1)).length).toBe(1);
    expect(decodeBlockBody(new Uint8Array(0))).toEqual([]);
  });

  test('transaction limits: length prefix bit-reversed, oversized statements refused', () => {
    const body = encodeBlockBody([new Uint8Array(5), new Uint8Array(10)]);
    expect(bytesToHex(body.slice(0, 3))).toBe('40a000');
    expect(bytesToHex(body.slice(8, 10))).toBe('5000');
    const huge = parseStatements(`run { (Done {T2 ${'#1329227995784915872903807060280344575 '.repeat(300)}}) }`).statements[0]!;
    expect(() => encodeTransaction(huge)).toThrow(/at most 1277/);
  });
});
