/**
 * Generated surface-language source the benchmarks share: a module of shapes and points
 * (types, records, rules, matches, `do` blocks, comments), about 2.3 KB.
 */

/** Module `i` named `prefix.M<i>`; its `do` block checks through module `checkFrom` (name resolution across files). */
export function shapesModule(prefix: string, i: number, checkFrom: number = i): string {
  const m = `${prefix}.M${i}`;
  const checker = `${prefix}.M${checkFrom}`;
  return `//! Shapes, module ${i}.
#derive[match]
type ${m}.Shape {
  //! A circle of radius \`radius\`.
  circle (radius: Data.U60)
  rect (width: Data.U60) (height: Data.U60)
  tri (a: Data.U60) (b: Data.U60) (c: Data.U60)
}

#derive[match, getters, setters]
record ${m}.Point {
  x : Data.U60
  y : Data.U60
}

// The area of a shape, roughly.
${m}.area (s: ${m}.Shape) : Data.U60
${m}.area (${m}.Shape.circle r) = (* 3 (* r r)) // pi is three
${m}.area (${m}.Shape.rect w h) = (* w h)
${m}.area (${m}.Shape.tri a b c) = (/ (* a b) 2)

/* Folds the areas of a list of shapes. */
${m}.sum (xs: Data.List ${m}.Shape) : Data.U60 {
  Data.List.foldr (s => acc => (+ (${m}.area s) acc)) 0 xs
}

${m}.describe (s: ${m}.Shape) : Data.String {
  match ${m}.Shape s {
    circle => "circle"
    rect => if Data.U60.equal s.width s.height { "square" } else { "rectangle" }
    tri => "triangle" // any triangle
  }
}

${m}.step (p: ${m}.Point) (n: Data.Nat) : ${m}.Point
${m}.step p Data.Nat.zero = p
${m}.step p (Data.Nat.succ n) =
  let q = ${m}.Point.x.set p (+ (${m}.Point.x.get p) 1)
  ${m}.step q n

${m}.safe (a: Data.U60) (b: Data.U60) : Data.Maybe Data.U60 {
  do Data.Maybe {
    ask x = ${checker}.check a
    ask y = ${checker}.check b
    return (+ x y)
  }
}

${m}.check (n: Data.U60) : Data.Maybe Data.U60
${m}.check 0 = Data.Maybe.none
${m}.check n = Data.Maybe.some (- n 1)

${m}.shapes : Data.List ${m}.Shape {
  [(${m}.Shape.circle ${i}), ${m}.Shape.rect 2 3, ${m}.Shape.tri 3 4 5]
}

`;
}
