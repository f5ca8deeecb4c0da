/** Module: the field walk, PyTorch names, modes, state dicts and their error messages. */
import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import {
  BatchNorm1d, Buffer, camelToSnake, Dropout, Flatten, GELU, Identity, LayerNorm, Linear, Module, ModuleDict, ModuleList, Parameter, Sequential,
  type AnyModule,
} from '../../src/nn/index.js';

class Mlp extends Module<[Tensor], Tensor> {
  fc1 = new Linear(4, 8);
  act = new GELU();
  fc2 = new Linear(8, 2);

  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

/** camelCase fields, an array of modules, a parameter declared after children, a renamed field. */
class Tower extends Module<[Tensor], Tensor> {
  static override stateNames = { gammaScale: 'gamma' };
  tokenMixer = new Linear(3, 3);
  blocks = [new Mlp(), new Mlp()];
  finalNorm = new LayerNorm(2);
  posEmbed = new Parameter(zeros([1, 3]));
  gammaScale = new Parameter(zeros([2]));
  cache = new Buffer(zeros([2]), { persistent: false });
  config = { depth: 2 };
  plain = randn([2]);

  forward(x: Tensor): Tensor {
    return x;
  }
}

describe('camelToSnake', () => {
  it.each([
    ['runningMean', 'running_mean'],
    ['numBatchesTracked', 'num_batches_tracked'],
    ['fc1', 'fc1'],
    ['fc1Norm', 'fc1_norm'],
    ['tokenMLPNorm', 'token_mlp_norm'],
    ['layer_scale', 'layer_scale'],
    ['weight', 'weight'],
  ])('%s → %s', (a, b) => expect(camelToSnake(a)).toBe(b));
});

describe('the field walk', () => {
  it('names parameters as PyTorch: own first, then buffers, then children; arrays numbered', () => {
    const t = new Tower();
    expect(t.namedParameters().map(([n]) => n)).toEqual([
      'pos_embed', 'gamma',
      'token_mixer.weight', 'token_mixer.bias',
      'blocks.0.fc1.weight', 'blocks.0.fc1.bias', 'blocks.0.fc2.weight', 'blocks.0.fc2.bias',
      'blocks.1.fc1.weight', 'blocks.1.fc1.bias', 'blocks.1.fc2.weight', 'blocks.1.fc2.bias',
      'final_norm.weight', 'final_norm.bias',
    ]);
    expect(t.namedBuffers().map(([n]) => n)).toEqual(['cache']);
    // Non-persistent buffers stay out of the state dict; configs and plain tensors are not state.
    expect(Object.keys(t.stateDict())).not.toContain('cache');
    expect(Object.keys(t.stateDict())).toHaveLength(14);
  });

  it('lists modules and children with their paths', () => {
    const t = new Tower();
    expect(t.namedModules().map(([n]) => n)).toEqual([
      '', 'token_mixer', 'blocks.0', 'blocks.0.fc1', 'blocks.0.act', 'blocks.0.fc2', 'blocks.1', 'blocks.1.fc1', 'blocks.1.act', 'blocks.1.fc2', 'final_norm',
    ]);
    expect(t.namedChildren().map(([n]) => n)).toEqual(['token_mixer', 'blocks.0', 'blocks.1', 'final_norm']);
  });

  it('sees fields assigned after construction (surgery is assignment)', () => {
    const m = new Mlp();
    m.fc2 = new Linear(8, 5);
    expect(m.forward(randn([1, 4])).shape).toEqual([1, 5]);
    expect(m.stateDict()['fc2.weight'].shape).toEqual([5, 8]);
  });

  it('counts a shared parameter once but names it under every path in the state dict', () => {
    class Tied extends Module<[Tensor], Tensor> {
      enc = new Linear(3, 3, { bias: false });
      dec = new Linear(3, 3, { bias: false });
      constructor() {
        super();
        (this.dec as { weight: Parameter }).weight = this.enc.weight;
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Tied();
    expect(m.parameters()).toHaveLength(1);
    expect(m.numParameters()).toBe(9);
    expect(Object.keys(m.stateDict())).toEqual(['enc.weight', 'dec.weight']);
  });

  it('reports a cycle instead of recursing forever', () => {
    const a = new Mlp() as unknown as { back: unknown } & AnyModule;
    const b = new Mlp() as unknown as { back: unknown } & AnyModule;
    a.back = b;
    b.back = a;
    expect(() => a.parameters()).toThrow(/'back\.back' refers back to an enclosing module/);
  });

  it('skips modules held in #private fields', () => {
    class Student extends Module<[Tensor], Tensor> {
      readonly #teacher = new Mlp();
      head = new Linear(2, 2);
      forward(x: Tensor): Tensor {
        return this.head.forward(this.#teacher.forward(x));
      }
    }
    expect(new Student().namedParameters().map(([n]) => n)).toEqual(['head.weight', 'head.bias']);
  });
});

describe('containers', () => {
  it('Sequential names layers by position and chains them', () => {
    const s = new Sequential(new Linear(4, 3), new GELU(), new Linear(3, 2));
    expect(Object.keys(s.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(s.forward(randn([5, 4])).shape).toEqual([5, 2]);
    expect(s.length).toBe(3);
    expect(s.at(-1)).toBeInstanceOf(Linear);
    expect(() => s.at(3)).toThrow(/index 3 is out of range for 3 layers/);
  });

  it('ModuleList and ModuleDict name items by index and key', () => {
    class M extends Module<[Tensor], Tensor> {
      layers = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
      heads = new ModuleDict({ cls: new Linear(2, 3) });
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new M();
    m.heads.set('reg', new Linear(2, 1));
    expect(Object.keys(m.stateDict())).toEqual([
      'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias',
      'heads.cls.weight', 'heads.cls.bias', 'heads.reg.weight', 'heads.reg.bias',
    ]);
    expect(() => m.heads.get('box')).toThrow(/no module named 'box' \(have: cls, reg\)/);
    expect(() => m.heads.set('a.b', new Linear(1, 1))).toThrow(/contain no '\.'/);
    expect(() => m.layers.forward()).toThrow(/ModuleList has no forward/);
  });
});

describe('modes, apply, counting, gradients', () => {
  it('train()/eval() reach every descendant and change behaviour', () => {
    const m = new Sequential(new Linear(4, 4), new Dropout(0.5, { generator: new Generator(1) }));
    const x = randn([3, 4]);
    m.eval();
    expect(m.modules().every((c) => !c.training)).toBe(true);
    expect(m.forward(x).toArray()).toEqual(m.forward(x).toArray());
    m.train();
    expect(m.modules().every((c) => c.training)).toBe(true);
    expect(m.forward(x).toArray()).not.toEqual(m.forward(x).toArray());
  });

  it('apply visits children before parents', () => {
    const order: string[] = [];
    new Sequential(new Linear(1, 1), new Sequential(new GELU())).apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['Linear', 'GELU', 'Sequential', 'Sequential']);
  });

  it('numParameters counts elements, optionally only trainable ones', () => {
    const m = new Mlp();
    expect(m.numParameters()).toBe(4 * 8 + 8 + 8 * 2 + 2);
    m.fc1.requiresGrad_(false);
    expect(m.numParameters({ trainableOnly: true })).toBe(8 * 2 + 2);
  });

  it('zeroGrad drops every gradient', () => {
    const m = new Mlp();
    m.forward(randn([2, 4])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('Parameter is a leaf that requires grad and shares the storage it wraps', () => {
    const t = zeros([2]);
    const p = new Parameter(t);
    expect(p.requiresGrad && p.isLeaf).toBe(true);
    expect(p.data).toBe(t.data);
    expect(() => new Parameter(tensor([1], { dtype: 'int32' }))).toThrow(/only floating-point tensors can be parameters, got int32/);
  });

  it('Identity returns its input; Flatten keeps the batch dim', () => {
    const x = randn([2, 3, 4]);
    expect(new Identity().forward(x)).toBe(x);
    expect(new Flatten().forward(x).shape).toEqual([2, 12]);
    expect(new Flatten(0, 1).forward(x).shape).toEqual([6, 4]);
  });

  it('toString prints the tree', () => {
    expect(new Sequential(new Linear(2, 3), new GELU()).toString()).toBe(
      'Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): GELU(approximate=none)\n)',
    );
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips into a fresh module, keeping parameter identity', () => {
    const a = new Mlp();
    const b = new Mlp();
    const before = b.parameters();
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = randn([3, 4]);
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    expect(b.parameters().every((p, i) => p === before[i])).toBe(true);
  });

  it('gives a snapshot that later training does not change', () => {
    const m = new Linear(2, 2);
    const sd = m.stateDict();
    const w0 = Array.from(sd.weight.data);
    m.weight.data[0] += 1;
    expect(Array.from(sd.weight.data)).toEqual(w0);
    expect(sd.weight.requiresGrad).toBe(false);
  });

  it('loads buffers, converting dtypes (a float counter into int32)', () => {
    const a = new BatchNorm1d(2);
    a.forward(randn([4, 2]));
    const sd = a.stateDict();
    sd.num_batches_tracked = tensor(7);
    const b = new BatchNorm1d(2);
    b.loadStateDict(sd);
    expect(b.numBatchesTracked!.dtype).toBe('int32');
    expect(b.numBatchesTracked!.item()).toBe(7);
    expect(Array.from(b.runningMean!.data)).toEqual(Array.from(a.runningMean!.data));
  });

  it('names every missing, unexpected and mis-shaped key, and writes nothing', () => {
    const m = new Mlp();
    const w = Array.from(m.fc1.weight.data);
    const sd = new Mlp().stateDict();
    delete sd['fc2.bias'];
    sd['fc3.weight'] = zeros([1]);
    sd['fc1.weight'] = zeros([4, 8]);
    let message = '';
    try {
      m.loadStateDict(sd);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('loadStateDict (Mlp): 3 problems');
    expect(message).toContain("size mismatch for 'fc1.weight': the state dict has [4, 8], the module has [8, 4]");
    expect(message).toContain("missing key 'fc2.bias'");
    expect(message).toContain("unexpected key 'fc3.weight'");
    expect(Array.from(m.fc1.weight.data)).toEqual(w);
  });

  it('non-strict loading reports missing and unexpected keys but still rejects shape mismatches', () => {
    const m = new Mlp();
    const sd = new Mlp().stateDict();
    delete sd['fc2.bias'];
    sd.extra = zeros([1]);
    expect(m.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['fc2.bias'], unexpectedKeys: ['extra'] });
    expect(Array.from(m.fc1.weight.data)).toEqual(Array.from(sd['fc1.weight'].data));
    sd['fc1.bias'] = zeros([3]);
    expect(() => m.loadStateDict(sd, { strict: false })).toThrow(/size mismatch for 'fc1.bias': the state dict has \[3\], the module has \[8\]/);
  });

  it('accepts a Map', () => {
    const m = new Linear(2, 1);
    const src = new Linear(2, 1);
    m.loadStateDict(new Map(Object.entries(src.stateDict())));
    expect(Array.from(m.weight.data)).toEqual(Array.from(src.weight.data));
  });
});

describe('loadStateDict with values that are not tensors', () => {
  it('names the key and what it got', () => {
    const m = new Mlp();
    const sd: Record<string, unknown> = m.stateDict();
    expect(() => m.loadStateDict({ ...sd, 'fc1.weight': [[1, 2]] } as never)).toThrow("'fc1.weight' is an array of length 1, not a tensor");
    expect(() => m.loadStateDict({ ...sd, 'fc2.bias': new Float32Array(2) } as never)).toThrow("'fc2.bias' is a Float32Array, not a tensor (wrap it: tensor(data, { shape: [2] }))");
    expect(() => m.loadStateDict({ ...sd, 'fc2.bias': null } as never)).toThrow("'fc2.bias' is null, not a tensor");
    expect(() => m.loadStateDict(new Map<string, unknown>([...Object.entries(sd), ['fc1.bias', 3]]) as never)).toThrow("'fc1.bias' is 3, not a tensor");
    // Nothing was written by the failed loads.
    expect([...m.fc2.bias!.data]).toEqual([...(sd['fc2.bias'] as Tensor).data]);
  });

  it('refuses a state dict that is not an object, and unknown options', () => {
    const m = new Mlp();
    expect(() => m.loadStateDict(null as never)).toThrow('loadStateDict (Mlp): expected a state dict (an object or Map from names to tensors), got null');
    expect(() => m.loadStateDict(randn([2]) as never)).toThrow('got a Tensor');
    expect(() => m.loadStateDict(m.stateDict(), loose({ strcit: false }))).toThrow("loadStateDict (Mlp): unknown option 'strcit' (did you mean 'strict'?)");
  });
});

function loose(o: Record<string, unknown>): never {
  return o as never;
}
