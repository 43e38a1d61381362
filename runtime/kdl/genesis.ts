/**
 * The genesis statements every Kindelia runtime starts from (spec §12.8, Appendix A):
 * tuples T0..TG, If, Name, the IO constructors and their wrappers, Load, the Count
 * demo, and the registration of the empty namespace to the subject of secret key 1.
 * Their encodings and hashes are fixed by consensus and checked by the tests.
 */
export const GENESIS_TEXT = `
ctr {T0}
ctr {T1 x0}
ctr {T2 x0 x1}
ctr {T3 x0 x1 x2}
ctr {T4 x0 x1 x2 x3}
ctr {T5 x0 x1 x2 x3 x4}
ctr {T6 x0 x1 x2 x3 x4 x5}
ctr {T7 x0 x1 x2 x3 x4 x5 x6}
ctr {T8 x0 x1 x2 x3 x4 x5 x6 x7}
ctr {T9 x0 x1 x2 x3 x4 x5 x6 x7 x8}
ctr {TA x0 x1 x2 x3 x4 x5 x6 x7 x8 x9}
ctr {TB x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10}
ctr {TC x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11}
ctr {TD x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12}
ctr {TE x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13}
ctr {TF x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14}
ctr {TG x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14 x15}
fun (If cond t f) {
  (If #0 ~ f) = f
  (If ~ t ~) = t
}
ctr {Name name}
ctr {DONE expr}
fun (Done expr) {
  (Done expr) = {DONE expr}
}
ctr {TAKE cont}
fun (Take) {
  (Take) = @cont {TAKE cont}
}
ctr {SAVE expr cont}
fun (Save expr) {
  (Save expr) = @cont {SAVE expr cont}
}
ctr {CALL name argm cont}
fun (Call name argm) {
  (Call name argm) = @cont {CALL name argm cont}
}
ctr {SUBJ cont}
fun (Subj) {
  (Subj) = @cont {SUBJ cont}
}
ctr {FROM cont}
fun (From) {
  (From) = @cont {FROM cont}
}
ctr {TICK cont}
fun (Tick) {
  (Tick) = @cont {TICK cont}
}
ctr {GIDX name cont}
fun (GetIdx name) {
  (GetIdx name) = @cont {GIDX name cont}
}
ctr {STH0 idx cont}
fun (GetStmHash0 idx) {
  (GetStmHash0 idx) = @cont {STH0 idx cont}
}
ctr {STH1 idx cont}
fun (GetStmHash1 idx) {
  (GetStmHash1 idx) = @cont {STH1 idx cont}
}
ctr {TIME cont}
fun (Time) {
  (Time) = @cont {TIME cont}
}
ctr {META cont}
fun (Meta) {
  (Meta) = @cont {META cont}
}
ctr {HAX0 cont}
fun (Hax0) {
  (Hax0) = @cont {HAX0 cont}
}
ctr {HAX1 cont}
fun (Hax1) {
  (Hax1) = @cont {HAX1 cont}
}
ctr {FAIL err}
fun (Fail err) {
  (Fail err) = {FAIL err}
}
ctr {NORM term cont}
fun (Norm term) {
  (Norm term) = @cont {NORM term cont}
}
fun (Load) {
  (Load) = @cont {TAKE @x dup x0 x1 = x; {SAVE x0 @~ (!cont x1)}}
}
ctr {Inc}
ctr {Get}
fun (Count action) {
  (Count {Inc}) = {TAKE @x {SAVE (+ x #1) @~ {DONE #0}}}
  (Count {Get}) = (!(Load) @x {DONE x})
} with {
  #0
}
reg { #x7e5f4552091a69125d5dfcb7b8c265 }
`;
