/**
 * A first look at mlpkit: fit y = 3x₀ − 2x₁ + 1 with a linear model and plain
 * gradient descent, using only tensors and autograd. Run: `npm run example`.
 */
import { Generator, noGrad, randn, zeros } from '../index.js';

const gen = new Generator(0);
const x = randn([256, 2], { generator: gen });
const trueW = [3, -2];
const y = x.select(1, 0).mul(trueW[0]).add(x.select(1, 1).mul(trueW[1])).add(1).unsqueeze(1); // (256, 1)

let w = zeros([2, 1], { requiresGrad: true });
let b = zeros([1], { requiresGrad: true });
for (let step = 0; step <= 100; step++) {
  const loss = x.matmul(w).add(b).sub(y).square().mean();
  loss.backward();
  // Plain SGD: new leaf tensors from the updated values.
  [w, b] = noGrad(() => [w.sub(w.grad!.mul(0.1)), b.sub(b.grad!.mul(0.1))]).map((t) => t.detach().requiresGrad_());
  if (step % 25 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(6)}`);
}
console.log(`learned w = [${Array.from(w.data, (v) => v.toFixed(3)).join(', ')}], b = ${b.item().toFixed(3)} (true: [3, -2], 1)`);
