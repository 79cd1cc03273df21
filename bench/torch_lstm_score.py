"""Scoring peer of the next-call LSTM: the model of ../shared/bench/peers/torch_lstm_lm.py
(vocab 341, embedding 32, one LSTM layer of 200, windows of 64, batch 64), forward pass only
under no_grad, giving each call's 1 - p and negative log-likelihood as vigil's scorer does.
Prints calls scored per second.  Usage: python3 torch_lstm_score.py [steps] [device]"""
import os, sys, time, torch, torch.nn as nn, torch.nn.functional as F
V, E, H, T, B = 341, 32, 200, 64, 64

class LM(nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = nn.Embedding(V, E); s.lstm = nn.LSTM(E, H, batch_first=True); s.out = nn.Linear(H, V)
    def forward(s, x):
        h, _ = s.lstm(s.emb(x)); return s.out(h)

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
dev = sys.argv[2] if len(sys.argv) > 2 else 'cpu'
torch.set_num_threads(int(os.environ.get("THREADS", "1"))); torch.manual_seed(0)
m = LM().to(dev).eval()
x = torch.randint(0, V, (B, T + 1), device=dev)
def score():
    with torch.no_grad():
        nll = F.cross_entropy(m(x[:, :-1]).reshape(-1, V), x[:, 1:].reshape(-1), reduction='none')
        omp = 1 - torch.exp(-nll)
        return nll.cpu(), omp.cpu()
for _ in range(3): score()
t = time.perf_counter()
for _ in range(steps): score()
dt = time.perf_counter() - t
print(f"torch {torch.__version__} device={dev} lstm_score step_ms={1000*dt/steps:.2f} calls_per_s={B*T*steps/dt:.0f}")
