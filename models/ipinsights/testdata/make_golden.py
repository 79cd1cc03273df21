"""Golden values of the IP Insights model for a fixed batch, from the
reference PyTorch model of the benchmark peer (torch_ipinsights.py) at a
small size: 11 entity vectors of 8, 64 buckets per prefix table, one dense
tanh layer. Writes golden.json: the parameters, the rows (entity index,
IPv4 as an integer, label), the mean BCE loss, its gradients, and the
parameters after one SparseAdam (tables) + Adam (dense) step at lr 0.01.
Run: python3 make_golden.py > golden.json"""
import json, torch, torch.nn as nn, torch.nn.functional as F

NE, D, BUCKETS = 11, 8, 64

class IPInsights(nn.Module):
    def __init__(s):
        super().__init__()
        s.ent = nn.Embedding(NE, D, sparse=True)
        s.pre = nn.ModuleList(nn.Embedding(BUCKETS, D, sparse=True) for _ in range(4))
        s.dense = nn.Linear(D, D)
    def ip(s, ips):
        h = 0
        for k, bits in enumerate((8, 16, 24, 32)):
            prefix = ips >> (32 - bits)
            h = h + s.pre[k]((prefix * 2654435761 + k) % BUCKETS)
        return torch.tanh(s.dense(h))
    def forward(s, ent, ips):
        return (s.ent(ent) * s.ip(ips)).sum(-1)

torch.manual_seed(7)
m = IPInsights()
with torch.no_grad():
    for e in [m.ent] + list(m.pre):
        e.weight.mul_(0.5)
g = torch.Generator().manual_seed(11)
B = 5
ent = torch.randint(0, NE, (B,), generator=g)
ips = torch.randint(0, 1 << 32, (B,), generator=g)
ips[0] = (203 << 24) | (0 << 16) | (113 << 8) | 9      # above 2^31: int64 product overflows
ips[1] = ips[0] + 1                                      # shares /8, /16, /24 with ips[0]
shuf = ips[torch.tensor([2, 0, 1, 4, 3])]
rnd = torch.randint(0, 1 << 32, (B,), generator=g)
e3 = torch.cat([ent, ent, ent]); i3 = torch.cat([ips, shuf, rnd])
y = torch.cat([torch.ones(B), torch.zeros(2 * B)])
params = {"entity": m.ent.weight.detach().clone(),
          "ip_prefix": torch.cat([p.weight.detach().clone() for p in m.pre]),
          "W": m.dense.weight.detach().t().contiguous().clone(), "b": m.dense.bias.detach().clone()}
loss = F.binary_cross_entropy_with_logits(m(e3, i3), y)
loss.backward()
grads = {"entity": m.ent.weight.grad.to_dense(),
         "ip_prefix": torch.cat([p.weight.grad.to_dense() for p in m.pre]),
         "W": m.dense.weight.grad.t().contiguous(), "b": m.dense.bias.grad}
sparse = [p for n, p in m.named_parameters() if not n.startswith('dense')]
opts = [torch.optim.SparseAdam(sparse, 0.01), torch.optim.Adam(m.dense.parameters(), 0.01)]
[o.step() for o in opts]
after = {"entity": m.ent.weight.detach(), "ip_prefix": torch.cat([p.weight.detach() for p in m.pre]),
         "W": m.dense.weight.detach().t().contiguous(), "b": m.dense.bias.detach()}
flat = lambda d: {k: v.reshape(-1).tolist() for k, v in d.items()}
print(json.dumps({"torch": torch.__version__, "entities": NE, "dim": D, "buckets": BUCKETS,
                  "rows_entity": e3.tolist(), "rows_ip": i3.tolist(), "labels": y.tolist(),
                  "params": flat(params), "loss": loss.item(), "grads": flat(grads), "after_step": flat(after)}))
