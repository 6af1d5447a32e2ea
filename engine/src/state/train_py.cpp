// The fixed Python text of the training scripts (see train_py.h): helpers, the PyTorch and NumPy
// trainers and the main loop. The experiment itself (settings, data, weights, the engine's own next
// steps) is written around it by export_train.cpp. Every rule here mirrors an engine file named in
// its comments; the tests run these scripts against the engine (tests/state_export_train_test.cpp).
#include "src/state/train_py.h"

namespace nnplay::state::train_py {

const char* const kCommon = R"PY(
# ---------------------------------------------------------------------------------------------
# Exact data: float32 arrays written by nnplay as base64url of their little-endian bytes.

def _bytes(text):
    t = ''.join(text.split())
    return base64.urlsafe_b64decode(t + '=' * (-len(t) % 4))


def unpack(shape, kind, a, b):
    """'palette': a = the distinct values, b = one uint8 index per value; 'sparse': a = a bit per
    value (1 = nonzero, most significant bit first), b = the nonzero values in order."""
    n = int(np.prod(shape))
    if kind == 'palette':
        out = np.frombuffer(_bytes(a), '<f4')[np.frombuffer(_bytes(b), np.uint8)]
    else:
        mask = np.unpackbits(np.frombuffer(_bytes(a), np.uint8))[:n].astype(bool)
        out = np.zeros(n, np.float32)
        out[mask] = np.frombuffer(_bytes(b), '<f4')
    return np.ascontiguousarray(out, dtype=np.float32).reshape(shape)


f32 = np.float32

# ---------------------------------------------------------------------------------------------
# The batch order: the engine's seeded shuffle (engine/src/session.cpp ensure_order and
# engine/src/detmath.h), ported bit for bit. Epoch e visits the training set in a Fisher-Yates
# permutation drawn from splitmix64 seeded by (SEED, 'ordr', e); a batch takes the next BATCH
# examples of it, fewer at the end of the epoch (a batch never spans two epochs).

_M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & _M64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & _M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
        return z ^ (z >> 31)


def stream_seed(seed, tag, index):
    r = SplitMix64(seed ^ ((tag * 0xD1B54A32D192ED03) & _M64))
    r.s ^= (index * 0x8CB92BA72F3D8DD7) & _M64
    r.next()
    return r.next()


def epoch_order(epoch, n):
    order = list(range(n))
    r = SplitMix64(stream_seed(SEED, 0x6f726472, epoch))
    for i in range(n, 1, -1):
        j = ((r.next() >> 32) * i) >> 32
        order[i - 1], order[j] = order[j], order[i - 1]
    return np.array(order, dtype=np.int64)


def batches(examples, n):
    """The rows of every following batch, `examples` training examples having been consumed."""
    epoch, order = -1, None
    while True:
        e, pos = divmod(examples, n)
        if e != epoch:
            epoch, order = e, epoch_order(e, n)
        rows = order[pos:pos + min(BATCH, n - pos)]
        examples += len(rows)
        yield rows

# ---------------------------------------------------------------------------------------------
# Targets and inputs (engine/include/nnplay/config.h "Output conventions", engine/src/dataset.cpp).

def targets(labels):
    """The output targets (N, OUTPUTS) of labels: a class index or a regression value per example.
    binary: one output, `on` for class 1 and `off` (the low end of the output's range) for class 0;
    onehot: one output per class; value: the regression target itself."""
    kind, off, on = TARGET
    if kind == 'value':
        return labels.reshape(-1, 1).astype(np.float32)
    if kind == 'binary':
        return np.where(labels >= 0.5, on, off).astype(np.float32).reshape(-1, 1)
    t = np.full((len(labels), OUTPUTS), off, np.float32)
    t[np.arange(len(labels)), labels.astype(np.int64)] = on
    return t


def features(points):
    """The network inputs of raw 2-D points (N, 2) = (x1, x2): the enabled FEATURES in order, as the
    page computes them (its sin is its own, equal to NumPy's to about 1e-15). Use it for new data."""
    x1, x2 = points[:, 0].astype(np.float32), points[:, 1].astype(np.float32)
    made = {'x1': x1, 'x2': x2, 'x1sq': x1 * x1, 'x2sq': x2 * x2, 'x1x2': x1 * x2,
            'sinx1': np.sin(x1.astype(np.float64)).astype(np.float32),
            'sinx2': np.sin(x2.astype(np.float64)).astype(np.float32)}
    return np.stack([made[f] for f in FEATURES], axis=1)


def param_shapes():
    """(name, shape) of every parameter tensor, in nnplay's order: per layer its weights, then biases."""
    out = []
    for i, L in enumerate(LAYERS):
        if L[0] == 'dense':
            out += [('layer %d weights' % (i + 1), (L[2], L[1])), ('layer %d biases' % (i + 1), (L[2],))]
        elif L[0] == 'conv':
            out += [('layer %d weights' % (i + 1), (L[2], L[1], L[3], L[3])), ('layer %d biases' % (i + 1), (L[2],))]
    return out
)PY";

const char* const kTorch = R"PY(
# ---------------------------------------------------------------------------------------------
# PyTorch: the network, the losses and nnplay's optimizer rules. torch sums in its own order, so
# losses and weights agree with the page's to about 1e-7, not bit for bit.

EXACT = False

class StepFn(torch.autograd.Function):
    """McCulloch-Pitts threshold: 1 if z > 0 else 0. Its derivative is taken as 0, as in nnplay."""
    @staticmethod
    def forward(ctx, z):
        return (z > 0).to(z.dtype)

    @staticmethod
    def backward(ctx, g):
        return torch.zeros_like(g)


def activate(z, name, leak):
    """nnplay's activations (engine/kernels/act); at the kink z = 0 ReLU and leaky ReLU take the
    slope of the negative side, as torch's do. Softmax is fused with its loss (see Trainer.step)."""
    if name in ('linear', 'softmax'):
        return z
    if name == 'sigmoid':
        return torch.sigmoid(z)
    if name == 'tanh':
        return torch.tanh(z)
    if name == 'relu':
        return torch.relu(z)
    if name == 'leakyrelu':
        return F.leaky_relu(z, float(leak))
    if name == 'step':
        return StepFn.apply(z)
    raise ValueError(name)


class Act(nn.Module):
    def __init__(self, name, leak):
        super().__init__()
        self.name, self.leak = name, leak

    def forward(self, z):
        return activate(z, self.name, self.leak)

    def extra_repr(self):
        return self.name


def build_model():
    """LAYERS as an nn.Sequential that ends with the output layer's pre-activation z (its
    activation OUTPUT_ACT is applied by the losses and predict(), so softmax can fuse with its loss)."""
    mods, flat = [], len(INPUT_SHAPE) == 1 or INPUT_SHAPE[1] * INPUT_SHAPE[2] == 1
    if not flat:
        mods.append(nn.Unflatten(1, INPUT_SHAPE))
    for i, L in enumerate(LAYERS):
        last = i == len(LAYERS) - 1
        if L[0] == 'dense':
            if not flat:
                mods.append(nn.Flatten())
                flat = True
            mods.append(nn.Linear(L[1], L[2]))
            if not last:
                mods.append(Act(L[3], L[4]))
        elif L[0] == 'conv':
            mods += [nn.Conv2d(L[1], L[2], L[3], stride=L[4], padding=L[5]), Act(L[6], L[7])]
        elif L[0] == 'maxpool':
            mods.append(nn.MaxPool2d(L[1], stride=L[2]))  # ties: the first maximum, as nnplay
        elif L[0] == 'avgpool':
            mods.append(nn.AvgPool2d(L[1], stride=L[2]))
        elif L[0] == 'flatten' and not flat:
            mods.append(nn.Flatten())
            flat = True
    return nn.Sequential(*mods)


def engine_parameters(model):
    """The parameters in nnplay's order (per layer: weights, then biases), with 'is weight'."""
    out = []
    for m in model:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            out += [(m.weight, True), (m.bias, False)]
    return out


class NnplayOptimizer(torch.optim.Optimizer):
    """nnplay's update rules (engine/src/optimizer.cpp), element by element in float32 with the
    engine's order of operations, so the same gradients give the same weights bit for bit.
    g = gradient + regularization, on weights only (not biases): l1 rate*sign(w), l2 rate*w.
      sgd, perceptron  w -= lr g
      momentum         v = mu v + g;  w -= lr v            (= torch.optim.SGD(momentum=mu))
      nesterov         v = mu v + g;  w -= lr (g + mu v)   (= torch.optim.SGD(momentum=mu, nesterov=True))
      adam             m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  b1t *= b1;  b2t *= b2
                       w -= lr (m / (1 - b1t)) / (sqrt(v / (1 - b2t)) + eps)
                       (torch.optim.Adam up to rounding: it computes b^t in double, nnplay in float32)"""

    def __init__(self, params, device):
        weights = [p for p, w in params if w]
        biases = [p for p, w in params if not w]
        super().__init__([{'params': weights, 'reg': REG}, {'params': biases, 'reg': 'none'}], {})
        self.order = [p for p, _ in params]
        self.k = {name: torch.tensor(v, dtype=torch.float32, device=device) for name, v in (
            ('lr', LR), ('mu', MOMENTUM), ('b1', BETA1), ('b2', BETA2), ('eps', EPS), ('rate', REG_RATE),
            ('one_b1', f32(1) - BETA1), ('one_b2', f32(1) - BETA2))}
        self.b1t, self.b2t = f32(1), f32(1)  # beta1^t, beta2^t

    def load_engine_state(self, flat):
        """nnplay's optimizer state: momentum/nesterov v (P); adam m (P), v (P), beta1^t, beta2^t."""
        P = sum(p.numel() for p in self.order)
        parts = {'momentum': ['v'], 'nesterov': ['v'], 'adam': ['m', 'v']}.get(OPTIMIZER, [])
        for j, key in enumerate(parts):
            off = j * P
            for p in self.order:
                self.state[p][key] = torch.from_numpy(flat[off:off + p.numel()].copy()).to(p.device).view_as(p)
                off += p.numel()
        if OPTIMIZER == 'adam':
            self.b1t, self.b2t = f32(flat[2 * P]), f32(flat[2 * P + 1])

    def engine_state(self):
        parts = {'momentum': ['v'], 'nesterov': ['v'], 'adam': ['m', 'v']}.get(OPTIMIZER, [])
        out = [self.state[p][key].detach().cpu().numpy().ravel() for key in parts for p in self.order]
        if OPTIMIZER == 'adam':
            out.append(np.array([self.b1t, self.b2t], np.float32))
        return np.concatenate(out) if out else np.zeros(0, np.float32)

    @torch.no_grad()
    def step(self):
        k = self.k
        if OPTIMIZER == 'adam':
            self.b1t, self.b2t = f32(self.b1t * BETA1), f32(self.b2t * BETA2)
            dev = k['lr'].device
            c1 = torch.tensor(f32(1) - self.b1t, dtype=torch.float32, device=dev)  # bias corrections 1 - beta^t
            c2 = torch.tensor(f32(1) - self.b2t, dtype=torch.float32, device=dev)
        for group in self.param_groups:
            for p in group['params']:
                g = p.grad if p.grad is not None else torch.zeros_like(p)
                if group['reg'] == 'l2' and REG_RATE != 0:
                    g = g + k['rate'] * p
                elif group['reg'] == 'l1' and REG_RATE != 0:
                    g = g + k['rate'] * torch.sign(p)
                st = self.state[p]
                if OPTIMIZER in ('momentum', 'nesterov'):
                    v = k['mu'] * st['v'] + g
                    st['v'] = v
                    new = p - k['lr'] * v if OPTIMIZER == 'momentum' else p - k['lr'] * (g + k['mu'] * v)
                elif OPTIMIZER == 'adam':
                    m = k['b1'] * st['m'] + k['one_b1'] * g
                    v = k['b2'] * st['v'] + k['one_b2'] * (g * g)
                    st['m'], st['v'] = m, v
                    new = p - (k['lr'] * (m / c1)) / (torch.sqrt(v / c2) + k['eps'])
                else:
                    new = p - k['lr'] * g
                p.copy_(new)


class Trainer:
    """The model, its optimizer and the data on `device`. With a process group (torchrun), the model
    is wrapped in DistributedDataParallel and each rank trains on its shard of every batch: rows
    [rank*B//W, (rank+1)*B//W) of the batch's B rows. Each rank's objective is its rows' summed loss
    times W/B; DDP averages the gradients over the W ranks, which gives the mean over the whole batch,
    the single-process gradient. What changes is the order of the sums: each rank sums its own rows,
    then the all-reduce adds the W partial gradients (and a rank's rows go through torch's kernels in
    a smaller batch). The gradients differ in their last bits, not more: --check holds as well."""

    def __init__(self, args):
        self.world, self.rank = 1, 0
        if args.world_size or int(os.environ.get('WORLD_SIZE', '1')) > 1:
            self.world, self.rank = start_process_group(args)
        self.main = self.rank == 0
        dev = args.device
        if dev == 'cuda' and self.world > 1:
            dev = 'cuda:%d' % int(os.environ.get('LOCAL_RANK', self.rank % max(1, torch.cuda.device_count())))
        self.device = torch.device(dev)
        self.model = build_model().to(self.device)
        self.params = engine_parameters(self.model)
        with torch.no_grad():
            off = 0
            for p, _ in self.params:
                p.copy_(torch.from_numpy(PARAMS[off:off + p.numel()].copy()).view_as(p))
                off += p.numel()
        self.opt = NnplayOptimizer(self.params, self.device)
        self.opt.load_engine_state(OPT_STATE)
        self.net = self.model
        if self.world > 1:
            self.net = torch.nn.parallel.DistributedDataParallel(self.model, broadcast_buffers=False)
            self.loss_sum = torch.zeros((), dtype=torch.float64, device=self.device)
        self.X = torch.from_numpy(TRAIN_X).to(self.device)
        self.T = torch.from_numpy(targets(TRAIN_Y)).to(self.device)

    def losses(self, z, t):
        """(per-row loss in float32 for the gradient, summed loss in float64 as the engine reports it)"""
        if LOSS == 'softmaxce':  # -log p_target from the logits: log(sum_o exp(z_o)) - sum_o t_o z_o
            rows = F.cross_entropy(z, t, reduction='none') if len(z) else z.sum(1)
            zd = z.detach().double()
            return rows, (torch.logsumexp(zd, 1) - (zd * t.double()).sum(1)).sum()
        c = 1.0 if LOSS == 'square' else 0.5  # square: (y - t)^2 summed over the outputs, the lecture's, no 1/2
        y = activate(z, OUTPUT_ACT, OUTPUT_LEAK)
        return c * ((y - t) ** 2).sum(1), c * ((y.detach().double() - t.double()) ** 2).sum()

    def step(self, rows):
        """One batch step on the batch's rows (indices into the training set); returns its mean loss."""
        B = len(rows)
        mine = rows[self.rank * B // self.world:(self.rank + 1) * B // self.world]
        idx = torch.from_numpy(mine).to(self.device)
        x, t = self.X[idx], self.T[idx]
        z = self.net(x)
        rows_loss, reported = self.losses(z, t)
        if OPTIMIZER == 'perceptron':  # Rosenblatt's rule as a gradient: dE/dz = (y - t) / B
            y = activate(z, OUTPUT_ACT, OUTPUT_LEAK).detach()
            objective = (z * ((y - t) * (self.world / B))).sum()
        else:
            objective = rows_loss.sum() * (self.world / B)
        self.opt.zero_grad(set_to_none=False)
        objective.backward()
        self.opt.step()
        if self.world > 1:
            self.loss_sum.copy_(reported)  # a tensor the trainer keeps: see finish()
            dist.all_reduce(self.loss_sum)
            return self.loss_sum.item() / B
        return reported.item() / B

    @torch.no_grad()
    def predict(self, x):
        """The outputs of the network for inputs x (N, input size): class probabilities for softmax."""
        z = self.model(torch.from_numpy(x).to(self.device))
        y = torch.softmax(z, 1) if OUTPUT_ACT == 'softmax' else activate(z, OUTPUT_ACT, OUTPUT_LEAK)
        return z.double().cpu().numpy(), y.double().cpu().numpy()

    def parameters(self):
        return np.concatenate([p.detach().cpu().numpy().ravel() for p, _ in self.params])

    def save(self, path):
        torch.save({'model': self.model.state_dict(), 'optimizer_state': self.opt.engine_state()}, path)

    def finish(self):
        """Ends the process group while this thread still owns everything. torch 1.13 can deadlock at
        exit otherwise: gloo's worker thread drops the last reference to a tensor Python made, which
        needs the GIL, while the exiting main thread holds the GIL and joins that worker (seen here:
        one run in six). So the all-reduced loss is a tensor the trainer keeps, and DDP goes first."""
        if self.world > 1:
            self.net = None
            gc.collect()
            dist.destroy_process_group()


def start_process_group(args):
    """torchrun sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; without it, --world-size,
    --rank and --master host:port say the same. gloo on the CPU, nccl with --device cuda."""
    backend = 'nccl' if args.device == 'cuda' else 'gloo'
    if args.world_size:
        dist.init_process_group(backend, init_method='tcp://' + args.master, world_size=args.world_size, rank=args.rank)
    else:
        dist.init_process_group(backend)
    return dist.get_world_size(), dist.get_rank()


def add_arguments(ap):
    ap.add_argument('--device', default='cpu', help="'cpu' (default) or 'cuda'")
    ap.add_argument('--world-size', type=int, default=0, help='processes of a data-parallel run started by hand (torchrun sets it itself)')
    ap.add_argument('--rank', type=int, default=0, help='this process of --world-size')
    ap.add_argument('--master', default='127.0.0.1:29500', help='host:port of rank 0, with --world-size')
    ap.add_argument('--save', metavar='FILE', help="torch.save the model's state_dict and nnplay's optimizer state at the end")
)PY";

const char* const kNumpy = R"PY(
# ---------------------------------------------------------------------------------------------
# NumPy: the engine written out. Every sum runs in the engine's order, in float32, from 0 (the
# GEMMs of engine/kernels/gemm, the convolution of engine/kernels/conv, the bias gradients of
# engine/kernels/bias), and exp, tanh and sigmoid are the engine's own (engine/kernels/act/nn_math.cpp),
# so a step gives the page's weights bit for bit. Plain loops over the summed index: slower than
# BLAS, and exact.

np.seterr(over='ignore', under='ignore', invalid='ignore')
EXACT = True


def _pow2(e):  # 2^e for integer e in [-126, 127], exact
    return ((e.astype(np.int32) + 127) << 23).astype(np.int32).view(np.float32)


def nn_exp(x):
    """The engine's expf: x = n ln2 + r (Cody-Waite), e^r by a degree-6 polynomial, times 2^n."""
    x = np.asarray(x, np.float32)
    n = np.floor(x * f32(1.44269504088896341) + f32(0.5))
    n = np.clip(np.where(np.isnan(n), f32(0), n), f32(-127), f32(128))
    r = x - n * f32(0.693359375)
    r = r - n * f32(-2.12194440e-4)
    z = r * r
    p = np.full_like(r, f32(1.9875691500e-4))
    for c in (1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1):
        p = p * r + f32(c)
    y = (p * z + r) + f32(1)
    e = n.astype(np.int32)
    e1 = e >> 1
    y = y * _pow2(e1) * _pow2(e - e1)
    y = np.where(x > f32(88.7228394), f32(np.inf), y)
    y = np.where(x < f32(-87.3365479), f32(0), y)
    return np.where(np.isnan(x), x, y)


def nn_tanh(x):
    """The engine's tanhf: an odd polynomial below 0.625, else 1 - 2 / (e^(2|x|) + 1) with x's sign."""
    x = np.asarray(x, np.float32)
    ax = np.abs(x)
    z = x * x
    q = np.full_like(x, f32(-5.70498872745e-3))
    for c in (2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1):
        q = q * z + f32(c)
    small = q * z * x + x
    t = f32(1) - f32(2) / (nn_exp(ax + ax) + f32(1))
    big = (t.view(np.uint32) | (x.view(np.uint32) & np.uint32(0x80000000))).view(np.float32)
    return np.where(ax < f32(0.625), small, big)


def activate(z, name, leak):
    """nnplay's activations (engine/kernels/act). Softmax is applied by the loss (Trainer.step)."""
    if name in ('linear', 'softmax'):
        return z
    if name == 'sigmoid':
        return f32(1) / (f32(1) + nn_exp(-z))
    if name == 'tanh':
        return nn_tanh(z)
    if name == 'relu':
        return np.where(z < 0, f32(0), z)
    if name == 'leakyrelu':
        return np.where(z < 0, leak * z, z)
    if name == 'step':
        return (z > 0).astype(np.float32)
    raise ValueError(name)


def activate_backward(dy, z, y, name, leak):
    """dy * f'(z); at the kink z = 0 the negative side's slope; the step's derivative is taken as 0."""
    if name in ('linear', 'softmax'):
        return dy
    if name == 'sigmoid':
        return dy * (y * (f32(1) - y))
    if name == 'tanh':
        return dy * (f32(1) - y * y)
    if name == 'relu':
        return np.where(z > 0, dy, f32(0))
    if name == 'leakyrelu':
        return np.where(z > 0, dy, leak * dy)
    return np.zeros_like(dy)


def softmax(z):
    """Rows of z: e = exp(z - max), s = e summed over the outputs in order, then e * (1 / s)."""
    m = z.max(1, keepdims=True)
    e = nn_exp(z - m)
    s = np.zeros((len(z), 1), np.float32)
    for o in range(z.shape[1]):
        s += e[:, o:o + 1]
    return e * (f32(1) / s)


def seqsum(a, axis):
    """Sum along axis one term at a time from the first, in float32 (not numpy's pairwise sum)."""
    return np.add.accumulate(a, axis=axis, dtype=np.float32).take(-1, axis=axis) if a.shape[axis] else \
        np.zeros(np.delete(a.shape, axis), np.float32)


def windows(x, k, s, P, Q):
    """The k*k strided views of x (N, C, H, W) that a k x k window at stride s sees, (ky, kx) in order."""
    return [(ky, kx, x[:, :, ky:ky + s * (P - 1) + 1:s, kx:kx + s * (Q - 1) + 1:s]) for ky in range(k) for kx in range(k)]


class Dense:
    def __init__(self, L, last):
        self.nin, self.units = L[1], L[2]
        self.act, self.leak = ('linear', 0.0) if last else (L[3], L[4])  # the output's activation: in the loss
        self.w = np.zeros((self.units, self.nin), np.float32)
        self.b = np.zeros(self.units, np.float32)

    def params(self):
        return [self.w, self.b]

    def forward(self, x):  # z[r, o] = sum over i in order of x[r, i] w[o, i], then + b[o]
        self.shape = x.shape
        self.x = x.reshape(len(x), -1)
        z = np.zeros((len(x), self.units), np.float32)
        for i in range(self.nin):
            z += self.x[:, i, None] * self.w[None, :, i]
        self.z = z + self.b
        self.y = activate(self.z, self.act, self.leak)
        return self.y

    def backward(self, dy, need_dx):
        dz = activate_backward(dy, self.z, self.y, self.act, self.leak)
        dw = np.zeros_like(self.w)
        for r in range(len(dz)):  # dw[o, i] = sum over the rows r in order of dz[r, o] x[r, i]
            dw += dz[r, :, None] * self.x[r, None, :]
        self.grads = [dw, seqsum(dz, 0)]
        if not need_dx:
            return None
        dx = np.zeros_like(self.x)
        for o in range(self.units):  # dx[r, i] = sum over o in order of dz[r, o] w[o, i]
            dx += dz[:, o, None] * self.w[None, o, :]
        return dx.reshape(self.shape)


class Conv:
    def __init__(self, L, last):
        self.C, self.F, self.k, self.s, self.p, self.act, self.leak = L[1:8]
        self.w = np.zeros((self.F, self.C, self.k, self.k), np.float32)
        self.b = np.zeros(self.F, np.float32)

    def params(self):
        return [self.w, self.b]

    def taps(self, x):  # ((c, ky, kx), the (N, P, Q) view of channel c that tap sees), c then ky then kx
        return [((c, ky, kx), v[:, c]) for c in range(self.C) for ky, kx, v in windows(x, self.k, self.s, self.P, self.Q)]

    def forward(self, x):  # cross-correlation with zero padding: taps (c, ky, kx) summed in order, then + b
        N, C, H, W = x.shape
        p, k, s = self.p, self.k, self.s
        self.H, self.W = H, W
        self.xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        self.P, self.Q = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
        z = np.zeros((N, self.F, self.P, self.Q), np.float32)
        for (c, ky, kx), v in self.taps(self.xp):
            z += self.w[None, :, c, ky, kx, None, None] * v[:, None]
        self.z = z + self.b[None, :, None, None]
        self.y = activate(self.z, self.act, self.leak)
        return self.y

    def backward(self, dy, need_dx):
        dz = activate_backward(dy, self.z, self.y, self.act, self.leak)
        N, F, P, Q = dz.shape
        dw = np.zeros_like(self.w)
        rows = np.ascontiguousarray(dz.transpose(1, 0, 2, 3)).reshape(F, N, P * Q)
        for (c, ky, kx), v in self.taps(self.xp):  # over the rows, then the positions, in order
            dw[:, c, ky, kx] = seqsum((rows * v.reshape(1, N, P * Q)).reshape(F, -1), 1)
        db = np.zeros(F, np.float32)
        per_row = seqsum(rows, 2)  # each row's sum over its positions, then added row by row
        for r in range(N):
            db += per_row[:, r]
        self.grads = [dw, db]
        if not need_dx:
            return None
        dxp = np.zeros_like(self.xp)
        for (c, ky, kx), v in self.taps(dxp):  # taps in order; each adds sum over f in order of w dz
            t = np.zeros((N, P, Q), np.float32)
            for f in range(F):
                t += self.w[f, c, ky, kx] * dz[:, f]
            v += t
        p = self.p
        return dxp[:, :, p:p + self.H, p:p + self.W]


class Pool:
    def __init__(self, L, last):
        self.mode, self.k, self.s = L[0], L[1], L[2]

    def params(self):
        return []

    def forward(self, x):
        N, C, H, W = x.shape
        self.shape = x.shape
        self.P, self.Q = (H - self.k) // self.s + 1, (W - self.k) // self.s + 1
        wins = [v for _, _, v in windows(x, self.k, self.s, self.P, self.Q)]
        if self.mode == 'avgpool':  # the window summed in (ky, kx) order from 0, then / (k k)
            acc = np.zeros_like(wins[0])
            for v in wins:
                acc += v
            return acc / f32(self.k * self.k)
        wins = np.stack(wins)
        self.arg = wins.argmax(0)  # the first maximum in (ky, kx) order, as nnplay
        return np.take_along_axis(wins, self.arg[None], 0)[0]

    def backward(self, dy, need_dx):
        self.grads = []
        if not need_dx:
            return None
        # The engine adds the outputs' gradients in output order; where windows overlap, an input
        # hears from the output of its last tap (ky, kx) first: so the taps run backwards here.
        dx = np.zeros(self.shape, np.float32)
        taps = list(enumerate(windows(dx, self.k, self.s, self.P, self.Q)))
        for j, (_, _, dwin) in reversed(taps):
            dwin += dy / f32(self.k * self.k) if self.mode == 'avgpool' else np.where(self.arg == j, dy, f32(0))
        return dx


class Flatten:
    def __init__(self, L, last):
        pass

    def params(self):
        return []

    def forward(self, x):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dy, need_dx):
        self.grads = []
        return dy.reshape(self.shape)


class Trainer:
    """The network as a list of layers with hand-written backward passes, and nnplay's optimizer
    rules (engine/src/optimizer.cpp) element by element in float32 with the engine's order of
    operations. g = gradient + regularization, on weights only: l1 rate*sign(w), l2 rate*w.
      sgd, perceptron  w -= lr g
      momentum         v = mu v + g;  w -= lr v
      nesterov         v = mu v + g;  w -= lr (g + mu v)
      adam             m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  b1t *= b1;  b2t *= b2
                       w -= lr (m / (1 - b1t)) / (sqrt(v / (1 - b2t)) + eps)"""

    def __init__(self, args):
        self.main = True
        kinds = {'dense': Dense, 'conv': Conv, 'maxpool': Pool, 'avgpool': Pool, 'flatten': Flatten}
        self.layers = [kinds[L[0]](L, i == len(LAYERS) - 1) for i, L in enumerate(LAYERS)]
        self.params = [p for layer in self.layers for p in layer.params()]
        self.is_weight = [j % 2 == 0 for j in range(len(self.params))]
        off = 0
        for p in self.params:
            p[...] = PARAMS[off:off + p.size].reshape(p.shape)
            off += p.size
        P = off
        parts = {'momentum': 1, 'nesterov': 1, 'adam': 2}.get(OPTIMIZER, 0)
        self.state = []
        for j in range(parts):
            off, s = j * P, []
            for p in self.params:
                s.append(OPT_STATE[off:off + p.size].reshape(p.shape).copy())
                off += p.size
            self.state.append(s)
        self.b1t, self.b2t = (f32(OPT_STATE[2 * P]), f32(OPT_STATE[2 * P + 1])) if OPTIMIZER == 'adam' else (f32(1), f32(1))
        self.T = targets(TRAIN_Y)

    def forward(self, x):
        if INPUT_SHAPE[1] * INPUT_SHAPE[2] > 1:
            x = x.reshape((len(x),) + tuple(INPUT_SHAPE))
        for layer in self.layers:
            x = layer.forward(x)
        return x  # the output layer's pre-activation z

    def step(self, rows):
        B = len(rows)
        x, t = TRAIN_X[rows], self.T[rows]
        z = self.forward(x)
        inv_b = f32(1) / f32(B)
        reported = batch_loss(z, t)
        if LOSS == 'softmaxce':  # fused softmax + cross-entropy: dE/dz = (p - t) / B
            y = softmax(z)
            dz = (y - t) * inv_b
        else:  # square: dE/dy = 2 (y - t) / B (the lecture's E, no 1/2); halfsquare: (y - t) / B
            y = activate(z, OUTPUT_ACT, OUTPUT_LEAK)
            dz = activate_backward((y - t) * (f32(2 if LOSS == 'square' else 1) * inv_b), z, y, OUTPUT_ACT, OUTPUT_LEAK)
        if OPTIMIZER == 'perceptron':  # Rosenblatt's rule as a gradient: dE/dz = (y - t) / B
            dz = (y - t) * inv_b
        d = dz
        for i in range(len(self.layers) - 1, -1, -1):
            d = self.layers[i].backward(d, i > 0)
        self.update([g for layer in self.layers for g in layer.grads])
        return reported

    def update(self, grads):
        lr, mu, rate = f32(LR), f32(MOMENTUM), f32(REG_RATE)
        if OPTIMIZER == 'adam':
            self.b1t, self.b2t = f32(self.b1t * BETA1), f32(self.b2t * BETA2)
            c1, c2 = f32(1) - self.b1t, f32(1) - self.b2t
        for j, (p, g) in enumerate(zip(self.params, grads)):
            if self.is_weight[j] and REG == 'l2' and REG_RATE != 0:
                g = g + rate * p
            elif self.is_weight[j] and REG == 'l1' and REG_RATE != 0:
                g = g + rate * np.sign(p)
            if OPTIMIZER in ('momentum', 'nesterov'):
                v = mu * self.state[0][j] + g
                self.state[0][j] = v
                new = p - lr * v if OPTIMIZER == 'momentum' else p - lr * (g + mu * v)
            elif OPTIMIZER == 'adam':
                m = BETA1 * self.state[0][j] + (f32(1) - BETA1) * g
                v = BETA2 * self.state[1][j] + (f32(1) - BETA2) * (g * g)
                self.state[0][j], self.state[1][j] = m, v
                new = p - (lr * (m / c1)) / (np.sqrt(v / c2) + EPS)
            else:
                new = p - lr * g
            p[...] = new

    def predict(self, x):
        z = self.forward(x)
        return z.astype(np.float64), (softmax(z) if OUTPUT_ACT == 'softmax' else activate(z, OUTPUT_ACT, OUTPUT_LEAK)).astype(np.float64)

    def parameters(self):
        return np.concatenate([p.ravel() for p in self.params])

    def finish(self):
        pass


def batch_loss(z, t):
    """The batch's mean loss as the engine reports it (engine/src/net.cpp row_loss): in double,
    rows in order; softmaxce from the logits, log(sum exp(z - max)) + max - z_target."""
    if LOSS == 'softmaxce':
        m = z.max(1, keepdims=True)
        s = nn_exp(z - m).astype(np.float64).sum(1)
        rows = np.log(s) + m[:, 0].astype(np.float64) - (t.astype(np.float64) * z.astype(np.float64)).sum(1)
    else:
        y = activate(z, OUTPUT_ACT, OUTPUT_LEAK)
        rows = (1.0 if LOSS == 'square' else 0.5) * ((y.astype(np.float64) - t.astype(np.float64)) ** 2).sum(1)
    total = 0.0
    for v in rows:
        total += float(v)
    return total / len(rows)


def add_arguments(ap):
    pass
)PY";

const char* const kMain = R"PY(
# ---------------------------------------------------------------------------------------------
# The training loop, the evaluation and --check.

def evaluate(trainer, X, Y):
    """Mean loss and accuracy over a set, as the page's curves show them (accuracy None for regression)."""
    if len(Y) == 0:
        return float('nan'), None
    loss, correct = 0.0, 0
    for i in range(0, len(Y), 256):
        z, y = trainer.predict(X[i:i + 256])
        t = targets(Y[i:i + 256]).astype(np.float64)
        if LOSS == 'softmaxce':
            m = z.max(1, keepdims=True)
            loss += float((np.log(np.exp(z - m).sum(1)) + m[:, 0] - (t * z).sum(1)).sum())
        else:
            loss += (1.0 if LOSS == 'square' else 0.5) * float(((y - t) ** 2).sum())
        if CLASSIFICATION:
            pred = (y[:, 0] >= (TARGET[1] + TARGET[2]) / 2).astype(np.int64) if OUTPUTS == 1 else y.argmax(1)
            correct += int((pred == Y[i:i + 256].astype(np.int64)).sum())
    return loss / len(Y), (correct / len(Y) if CLASSIFICATION else None)


def check(losses, params):
    """The page's own next steps against ours: each loss within TOLERANCE relative; each parameter
    tensor within TOLERANCE of its largest magnitude (max |ours - page| / max |page|, per tensor)."""
    ok, worst = True, (0.0, 0)
    for i, (got, want) in enumerate(zip(losses, CHECK_LOSSES)):
        rel = abs(got - want) / abs(want) if want != 0 else abs(got)
        if not rel <= worst[0]:
            worst = (rel if rel == rel else float('inf'), i)
        if not rel <= TOLERANCE:
            ok = False
            print('MISMATCH: step %d: loss %.9g here, %.9g on the page (relative difference %.3g > %g)'
                  % (STEP + i + 1, got, want, rel, TOLERANCE))
    wworst, wname, off = 0.0, '', 0
    for name, shape in param_shapes():
        n = int(np.prod(shape))
        got, want = params[off:off + n].astype(np.float64), CHECK_PARAMS[off:off + n].astype(np.float64)
        scale = np.abs(want).max() if n else 0.0
        diff = np.abs(got - want).max() / (scale if scale > 0 else 1.0) if n else 0.0
        if not diff <= wworst:
            wworst, wname = (diff if diff == diff else float('inf')), name
        if not diff <= TOLERANCE:
            ok = False
            j = int(np.nanargmax(np.where(np.isnan(got - want), np.inf, np.abs(got - want))))
            print('MISMATCH: %s after step %d: element %d is %.9g here, %.9g on the page (%.3g of the largest > %g)'
                  % (name, STEP + len(CHECK_LOSSES), j, got[j], want[j], diff, TOLERANCE))
        off += n
    same = int((params.view(np.uint32) == CHECK_PARAMS.view(np.uint32)).sum())
    print('check: %d steps after step %d: losses within %.3g relative%s, weights within %.3g of their tensor\'s '
          'largest%s; %d of %d parameters bit-identical to the page; tolerance %g: %s'
          % (len(CHECK_LOSSES), STEP, worst[0], ' (worst at step %d)' % (STEP + worst[1] + 1) if worst[0] else '',
             wworst, ' (worst: %s)' % wname if wname else '', same, len(params), TOLERANCE, 'OK' if ok else 'FAILED'))
    if not ok and not EXACT:
        print('(torch sums in another order than nnplay: a max-pool window whose two largest inputs are equal up to '
              'rounding can pick the other one, and its gradient then goes elsewhere. The NumPy training script '
              'reproduces the page bit for bit.)')
    return ok


def main():
    ap = argparse.ArgumentParser(description='Continues an nnplay experiment: see the comments at the top of this file.')
    ap.add_argument('--steps', type=int, default=len(CHECK_LOSSES), help='batch steps to train (default %(default)s)')
    ap.add_argument('--check', action='store_true',
                    help='train the %d steps the page made after this point and compare (exit 1 past the tolerance)' % len(CHECK_LOSSES))
    ap.add_argument('--print-every', type=int, default=1, metavar='K', help='print the loss of every K-th step')
    add_arguments(ap)
    args = ap.parse_args()
    if FEATURES is not None and TRAIN_POINTS is not None and len(TRAIN_Y):
        made = features(TRAIN_POINTS)
        if not np.abs(made - TRAIN_X).max() <= 1e-5 * max(1.0, float(np.abs(TRAIN_X).max())):
            print('features(): the inputs made from the points differ from the page\'s', file=sys.stderr)
            sys.exit(1)
    trainer = Trainer(args)
    steps = len(CHECK_LOSSES) if args.check else args.steps
    losses, batch = [], batches(EXAMPLES, len(TRAIN_Y))
    for i in range(steps):
        loss = trainer.step(next(batch))
        losses.append(loss)
        if trainer.main and ((i + 1) % max(1, args.print_every) == 0 or i + 1 == steps):
            print('step %d loss %.9g' % (STEP + i + 1, loss))
        if not math.isfinite(loss):
            print('step %d: the loss is %s: training diverged (the learning rate is probably too high)' % (STEP + i + 1, loss))
            trainer.finish()
            sys.exit(1)
    ok = True
    if trainer.main:
        for name, X, Y in (('train', TRAIN_X, TRAIN_Y), ('test', TEST_X, TEST_Y)):
            loss, acc = evaluate(trainer, X, Y)
            print('%s loss %.6g%s' % (name, loss, '' if acc is None else ', accuracy %.4f' % acc))
        if getattr(args, 'save', None):
            trainer.save(args.save)
    if args.check:
        ok = check(losses, trainer.parameters()) if trainer.main else check_quiet(losses, trainer.parameters())
    trainer.finish()
    sys.exit(0 if ok else 1)


def check_quiet(losses, params):
    with open(os.devnull, 'w') as null:
        saved, sys.stdout = sys.stdout, null
        try:
            return check(losses, params)
        finally:
            sys.stdout = saved
)PY";

}  // namespace nnplay::state::train_py
