"""scipy's ``truncnorm.rvs(-2, 2)`` sample transform without scipy (for ``TruncatedNormal``).

r1.6's ``TruncatedNormal`` calls ``scipy.stats.truncnorm.rvs(-2, 2, scale=sigma)`` with
numpy's global generator. scipy (1.7.3, the version r1.6 runs with) draws ``N`` uniforms
``u`` with ``random_state.uniform(0, 1, N)`` and maps them through the inverse CDF:
``ndtri(u * Phi(2) + Phi(-2) * (1 - u))``, clipped to ``[-2, 2]``. ``ndtri`` is the Cephes
rational approximation, re-evaluated here in the same float64 operation order; its tail branch
calls the C library's ``log`` (through Python's ``math.log``, which is that function), because
numpy's vectorised ``log`` differs from it in the last bit for about 1 value in 2000.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["ndtri", "truncnorm_standard"]

_h = float.fromhex
_PHI_M2 = _h("0x1.74bcf82c9d85cp-6")  # scipy.special.ndtr(-2.0) in scipy 1.7.3
_PHI_P2 = _h("0x1.f45a183e9b13dp-1")  # scipy.special.ndtr(2.0)
_S2PI = 2.50662827463100050242e0
_EXP_M2 = 0.13533528323661269189

_P0 = (-5.99633501014107895267e1, 9.80010754185999661536e1, -5.66762857469070293439e1,
       1.39312609387279679503e1, -1.23916583867381258016e0)  # fmt: skip
_Q0 = (1.95448858338141759834e0, 4.67627912898881538453e0, 8.63602421390890590575e1,
       -2.25462687854119370527e2, 2.00260212380060660359e2, -8.20372256168333339912e1,
       1.59056225126211695515e1, -1.18331621121330003142e0)  # fmt: skip
_P1 = (4.05544892305962419923e0, 3.15251094599893866154e1, 5.71628192246421288162e1,
       4.40805073893200834700e1, 1.46849561928858024014e1, 2.18663306850790267539e0,
       -1.40256079171354495875e-1, -3.50424626827848203418e-2, -8.57456785154685413611e-4)  # fmt: skip
_Q1 = (1.57799883256466749731e1, 4.53907635128879210584e1, 4.13172038254672030440e1,
       1.50425385692907503408e1, 2.50464946208309415979e0, -1.42182922854787788574e-1,
       -3.80806407691578277194e-2, -9.33259480895457427372e-4)  # fmt: skip
_P2 = (3.23774891776946035970e0, 6.91522889068984211695e0, 3.93881025292474443415e0,
       1.33303460815807542389e0, 2.01485389549179081538e-1, 1.23716634817820021358e-2,
       3.01581553508235416007e-4, 2.65806974686737550832e-6, 6.23974539184983293730e-9)  # fmt: skip
_Q2 = (6.02427039364742014255e0, 3.67983563856160859403e0, 1.37702099489081330271e0,
       2.16236993594496635890e-1, 1.34204006088543189037e-2, 3.28014464682127739104e-4,
       2.89247864745380683936e-6, 6.79019408009981274425e-9)  # fmt: skip


def _polevl(x: np.ndarray, coef: tuple[float, ...]) -> np.ndarray:
    ans = np.full_like(x, coef[0])
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _p1evl(x: np.ndarray, coef: tuple[float, ...]) -> np.ndarray:
    ans = x + coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _libm_log(x: np.ndarray) -> np.ndarray:
    return np.fromiter(map(math.log, x.tolist()), dtype=np.float64, count=x.size)


def ndtri(y0: np.ndarray) -> np.ndarray:
    """Cephes ``ndtri`` (inverse standard normal CDF) of float64 values in ``(0, 1)``."""
    y0 = np.asarray(y0, dtype=np.float64)
    upper = y0 > (1.0 - _EXP_M2)
    y = np.where(upper, 1.0 - y0, y0)
    out = np.empty_like(y)
    centre = y > _EXP_M2
    if np.any(centre):
        yc = y[centre] - 0.5
        y2 = yc * yc
        x = yc + yc * (y2 * _polevl(y2, _P0) / _p1evl(y2, _Q0))
        out[centre] = x * _S2PI
    tail = ~centre
    if np.any(tail):
        x = np.sqrt(-2.0 * _libm_log(y[tail]))
        x0 = x - _libm_log(x) / x
        z = 1.0 / x
        near = x < 8.0
        x1 = np.where(
            near, z * _polevl(z, _P1) / _p1evl(z, _Q1), z * _polevl(z, _P2) / _p1evl(z, _Q2)
        )
        x = x0 - x1
        out[tail] = np.where(upper[tail], x, -x)
    return out


def truncnorm_standard(u: np.ndarray) -> np.ndarray:
    """Standard normal truncated to ``[-2, 2]`` from uniforms ``u`` (scipy 1.7.3's mapping)."""
    u = np.asarray(u, dtype=np.float64)
    out = np.empty_like(u)
    low, high = u <= 0, u >= 1
    out[low], out[high] = -2.0, 2.0
    inner = ~low & ~high
    q = u[inner]
    out[inner] = ndtri(q * _PHI_P2 + _PHI_M2 * (1.0 - q))
    return np.clip(out, -2.0, 2.0)
