"""Tensor: construction, repr/str exactly as MindSpore r1.6, values, and the simulator hooks."""

import copy

import numpy as np
import pytest

from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms import context
from ascendsim.ms.common import Tensor, add_materialise_listener, remove_materialise_listener
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.initializer import One, initializer


@pytest.fixture(autouse=True)
def _fresh_context():
    context.reset_context()
    yield
    context.reset_context()


# (expression, repr, str) captured by evaluating each expression with MindSpore r1.6.1 (CPU).
R16_PRINTS = [
    ("Tensor(2.0)", "Tensor(shape=[], dtype=Float32, value= 2)", "2.0"),
    ("Tensor(2)", "Tensor(shape=[], dtype=Int64, value= 2)", "2"),
    ("Tensor(True)", "Tensor(shape=[], dtype=Bool, value= True)", "True"),
    (
        "Tensor([1.0, 2.0])",
        "Tensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00,  2.00000000e+00])",
        "[1. 2.]",
    ),
    ("Tensor([1, 2])", "Tensor(shape=[2], dtype=Int64, value= [1, 2])", "[1 2]"),
    (
        "Tensor([True, False])",
        "Tensor(shape=[2], dtype=Bool, value= [ True, False])",
        "[ True False]",
    ),
    (
        "Tensor(np.arange(6).reshape(2, 3))",
        "Tensor(shape=[2, 3], dtype=Int64, value=\n[[0, 1, 2],\n [3, 4, 5]])",
        "[[0 1 2]\n [3 4 5]]",
    ),
    (
        "Tensor(np.array([1.5, 2.25, -3], np.float16))",
        "Tensor(shape=[3], dtype=Float16, value= [ 1.5000e+00,  2.2500e+00, -3.0000e+00])",
        "[ 1.5   2.25 -3.  ]",
    ),
    (
        "Tensor(np.array([[True, False], [False, True]]))",
        "Tensor(shape=[2, 2], dtype=Bool, value=\n[[ True, False],\n [False,  True]])",
        "[[ True False]\n [False  True]]",
    ),
    (
        "Tensor(np.arange(10000).reshape(100, 100))",
        "Tensor(shape=[100, 100], dtype=Int64, value=\n[[   0,    1,    2 ...   97,   98,   99],\n [ 100,  101,  102 ...  197,  198,  199],\n [ 200,  201,  202 ...  297,  298,  299],\n ...\n [9700, 9701, 9702 ... 9797, 9798, 9799],\n [9800, 9801, 9802 ... 9897, 9898, 9899],\n [9900, 9901, 9902 ... 9997, 9998, 9999]])",
        "[[   0    1    2 ...   97   98   99]\n [ 100  101  102 ...  197  198  199]\n [ 200  201  202 ...  297  298  299]\n ...\n [9700 9701 9702 ... 9797 9798 9799]\n [9800 9801 9802 ... 9897 9898 9899]\n [9900 9901 9902 ... 9997 9998 9999]]",
    ),
    (
        "Tensor(np.array([0.123456789, 1e-5, 12345.678], np.float32))",
        "Tensor(shape=[3], dtype=Float32, value= [ 1.23456791e-01,  9.99999975e-06,  1.23456777e+04])",
        "[1.2345679e-01 9.9999997e-06 1.2345678e+04]",
    ),
    (
        "Tensor(np.array([1, -2, 3], np.int8))",
        "Tensor(shape=[3], dtype=Int8, value= [ 1, -2,  3])",
        "[ 1 -2  3]",
    ),
    (
        "Tensor((1, 2.5))",
        "Tensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00,  2.50000000e+00])",
        "[1.  2.5]",
    ),
    (
        "Tensor([[1.0, 2], [3, 4]])",
        "Tensor(shape=[2, 2], dtype=Float32, value=\n[[ 1.00000000e+00,  2.00000000e+00],\n [ 3.00000000e+00,  4.00000000e+00]])",
        "[[1. 2.]\n [3. 4.]]",
    ),
    ("Tensor(np.float32(3.5))", "Tensor(shape=[], dtype=Float32, value= 3.5)", "3.5"),
    ("Tensor(np.array(3.25))", "Tensor(shape=[], dtype=Float64, value= 3.25)", "3.25"),
    ("Tensor(np.array([], np.float32))", "Tensor(shape=[0], dtype=Float32, value= )", "[]"),
    (
        "Tensor(np.arange(13, dtype=np.float32))",
        "Tensor(shape=[13], dtype=Float32, value= [ 0.00000000e+00,  1.00000000e+00,  2.00000000e+00,  3.00000000e+00,  4.00000000e+00,  5.00000000e+00,  6.00000000e+00,  7.00000000e+00,  8.00000000e+00,  9.00000000e+00,  1.00000000e+01,  1.10000000e+01, \n  1.20000000e+01])",
        "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12.]",
    ),
    (
        "Tensor(np.arange(12, dtype=np.float32))",
        "Tensor(shape=[12], dtype=Float32, value= [ 0.00000000e+00,  1.00000000e+00,  2.00000000e+00,  3.00000000e+00,  4.00000000e+00,  5.00000000e+00,  6.00000000e+00,  7.00000000e+00,  8.00000000e+00,  9.00000000e+00,  1.00000000e+01,  1.10000000e+01\n ])",
        "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11.]",
    ),
    (
        "Tensor(np.arange(25))",
        "Tensor(shape=[25], dtype=Int64, value= [ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, \n 24])",
        "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24]",
    ),
    (
        "Tensor(np.ones(13, bool))",
        "Tensor(shape=[13], dtype=Bool, value= [ True,  True,  True,  True,  True,  True,  True,  True,  True,  True,  True,  True, \n  True])",
        "[ True  True  True  True  True  True  True  True  True  True  True  True\n  True]",
    ),
    (
        "Tensor(np.arange(8).reshape(4, 2))",
        "Tensor(shape=[4, 2], dtype=Int64, value=\n[[0, 1],\n [2, 3],\n [4, 5],\n [6, 7]])",
        "[[0 1]\n [2 3]\n [4 5]\n [6 7]]",
    ),
    (
        "Tensor(np.arange(14).reshape(7, 2))",
        "Tensor(shape=[7, 2], dtype=Int64, value=\n[[ 0,  1],\n [ 2,  3],\n [ 4,  5],\n ...\n [ 8,  9],\n [10, 11],\n [12, 13]])",
        "[[ 0  1]\n [ 2  3]\n [ 4  5]\n [ 6  7]\n [ 8  9]\n [10 11]\n [12 13]]",
    ),
    (
        "Tensor(np.arange(512).reshape(8, 8, 8))",
        "Tensor(shape=[8, 8, 8], dtype=Int64, value=\n[[[  0,   1,   2 ...   5,   6,   7],\n  [  8,   9,  10 ...  13,  14,  15],\n  [ 16,  17,  18 ...  21,  22,  23],\n  ...\n  [ 40,  41,  42 ...  45,  46,  47],\n  [ 48,  49,  50 ...  53,  54,  55],\n  [ 56,  57,  58 ...  61,  62,  63]],\n [[ 64,  65,  66 ...  69,  70,  71],\n  [ 72,  73,  74 ...  77,  78,  79],\n  [ 80,  81,  82 ...  85,  86,  87],\n  ...\n  [104, 105, 106 ... 109, 110, 111],\n  [112, 113, 114 ... 117, 118, 119],\n  [120, 121, 122 ... 125, 126, 127]],\n [[128, 129, 130 ... 133, 134, 135],\n  [136, 137, 138 ... 141, 142, 143],\n  [144, 145, 146 ... 149, 150, 151],\n  ...\n  [168, 169, 170 ... 173, 174, 175],\n  [176, 177, 178 ... 181, 182, 183],\n  [184, 185, 186 ... 189, 190, 191]],\n ...\n [[320, 321, 322 ... 325, 326, 327],\n  [328, 329, 330 ... 333, 334, 335],\n  [336, 337, 338 ... 341, 342, 343],\n  ...\n  [360, 361, 362 ... 365, 366, 367],\n  [368, 369, 370 ... 373, 374, 375],\n  [376, 377, 378 ... 381, 382, 383]],\n [[384, 385, 386 ... 389, 390, 391],\n  [392, 393, 394 ... 397, 398, 399],\n  [400, 401, 402 ... 405, 406, 407],\n  ...\n  [424, 425, 426 ... 429, 430, 431],\n  [432, 433, 434 ... 437, 438, 439],\n  [440, 441, 442 ... 445, 446, 447]],\n [[448, 449, 450 ... 453, 454, 455],\n  [456, 457, 458 ... 461, 462, 463],\n  [464, 465, 466 ... 469, 470, 471],\n  ...\n  [488, 489, 490 ... 493, 494, 495],\n  [496, 497, 498 ... 501, 502, 503],\n  [504, 505, 506 ... 509, 510, 511]]])",
        "[[[  0   1   2   3   4   5   6   7]\n  [  8   9  10  11  12  13  14  15]\n  [ 16  17  18  19  20  21  22  23]\n  [ 24  25  26  27  28  29  30  31]\n  [ 32  33  34  35  36  37  38  39]\n  [ 40  41  42  43  44  45  46  47]\n  [ 48  49  50  51  52  53  54  55]\n  [ 56  57  58  59  60  61  62  63]]\n\n [[ 64  65  66  67  68  69  70  71]\n  [ 72  73  74  75  76  77  78  79]\n  [ 80  81  82  83  84  85  86  87]\n  [ 88  89  90  91  92  93  94  95]\n  [ 96  97  98  99 100 101 102 103]\n  [104 105 106 107 108 109 110 111]\n  [112 113 114 115 116 117 118 119]\n  [120 121 122 123 124 125 126 127]]\n\n [[128 129 130 131 132 133 134 135]\n  [136 137 138 139 140 141 142 143]\n  [144 145 146 147 148 149 150 151]\n  [152 153 154 155 156 157 158 159]\n  [160 161 162 163 164 165 166 167]\n  [168 169 170 171 172 173 174 175]\n  [176 177 178 179 180 181 182 183]\n  [184 185 186 187 188 189 190 191]]\n\n [[192 193 194 195 196 197 198 199]\n  [200 201 202 203 204 205 206 207]\n  [208 209 210 211 212 213 214 215]\n  [216 217 218 219 220 221 222 223]\n  [224 225 226 227 228 229 230 231]\n  [232 233 234 235 236 237 238 239]\n  [240 241 242 243 244 245 246 247]\n  [248 249 250 251 252 253 254 255]]\n\n [[256 257 258 259 260 261 262 263]\n  [264 265 266 267 268 269 270 271]\n  [272 273 274 275 276 277 278 279]\n  [280 281 282 283 284 285 286 287]\n  [288 289 290 291 292 293 294 295]\n  [296 297 298 299 300 301 302 303]\n  [304 305 306 307 308 309 310 311]\n  [312 313 314 315 316 317 318 319]]\n\n [[320 321 322 323 324 325 326 327]\n  [328 329 330 331 332 333 334 335]\n  [336 337 338 339 340 341 342 343]\n  [344 345 346 347 348 349 350 351]\n  [352 353 354 355 356 357 358 359]\n  [360 361 362 363 364 365 366 367]\n  [368 369 370 371 372 373 374 375]\n  [376 377 378 379 380 381 382 383]]\n\n [[384 385 386 387 388 389 390 391]\n  [392 393 394 395 396 397 398 399]\n  [400 401 402 403 404 405 406 407]\n  [408 409 410 411 412 413 414 415]\n  [416 417 418 419 420 421 422 423]\n  [424 425 426 427 428 429 430 431]\n  [432 433 434 435 436 437 438 439]\n  [440 441 442 443 444 445 446 447]]\n\n [[448 449 450 451 452 453 454 455]\n  [456 457 458 459 460 461 462 463]\n  [464 465 466 467 468 469 470 471]\n  [472 473 474 475 476 477 478 479]\n  [480 481 482 483 484 485 486 487]\n  [488 489 490 491 492 493 494 495]\n  [496 497 498 499 500 501 502 503]\n  [504 505 506 507 508 509 510 511]]]",
    ),
    (
        "Tensor(np.array([np.nan, np.inf, -np.inf, -0.0], np.float32))",
        "Tensor(shape=[4], dtype=Float32, value= [            nan,             inf,            -inf, -0.00000000e+00])",
        "[ nan  inf -inf  -0.]",
    ),
    (
        "Tensor(np.array([1e-40, 1e38, 1e300]))",
        "Tensor(shape=[3], dtype=Float64, value= [ 1.00000000e-40,  1.00000000e+38, 1.00000000e+300])",
        "[1.e-040 1.e+038 1.e+300]",
    ),
    (
        "Tensor(np.float32(123456789.0))",
        "Tensor(shape=[], dtype=Float32, value= 1.23457e+08)",
        "123456790.0",
    ),
    (
        "Tensor(np.array([1 + 2j, 3.5 - 1j]))",
        "Tensor(shape=[2], dtype=Complex128, value= [1+2j, 3.5-1j])",
        "[1. +2.j 3.5-1.j]",
    ),
    (
        "Tensor(np.array([2**63], np.uint64))",
        "Tensor(shape=[1], dtype=UInt64, value= [9223372036854775808])",
        "[9223372036854775808]",
    ),
    (
        "Tensor(np.ones((3, 7), np.float16))",
        "Tensor(shape=[3, 7], dtype=Float16, value=\n[[ 1.0000e+00,  1.0000e+00,  1.0000e+00 ...  1.0000e+00,  1.0000e+00,  1.0000e+00],\n [ 1.0000e+00,  1.0000e+00,  1.0000e+00 ...  1.0000e+00,  1.0000e+00,  1.0000e+00],\n [ 1.0000e+00,  1.0000e+00,  1.0000e+00 ...  1.0000e+00,  1.0000e+00,  1.0000e+00]])",
        "[[1. 1. 1. 1. 1. 1. 1.]\n [1. 1. 1. 1. 1. 1. 1.]\n [1. 1. 1. 1. 1. 1. 1.]]",
    ),
    (
        "Tensor(np.ones((2, 8), bool))",
        "Tensor(shape=[2, 8], dtype=Bool, value=\n[[ True,  True,  True ...  True,  True,  True],\n [ True,  True,  True ...  True,  True,  True]])",
        "[[ True  True  True  True  True  True  True  True]\n [ True  True  True  True  True  True  True  True]]",
    ),
    ("Tensor(np.int8(65))", "Tensor(shape=[], dtype=Int8, value= A)", "65"),
    (
        "Tensor(np.arange(3 * 4 * 5 * 6).reshape(3, 4, 5, 6) - 100)",
        "Tensor(shape=[3, 4, 5, 6], dtype=Int64, value=\n[[[[-100,  -99,  -98,  -97,  -96,  -95],\n   [ -94,  -93,  -92,  -91,  -90,  -89],\n   [ -88,  -87,  -86,  -85,  -84,  -83],\n   [ -82,  -81,  -80,  -79,  -78,  -77],\n   [ -76,  -75,  -74,  -73,  -72,  -71]],\n  [[ -70,  -69,  -68,  -67,  -66,  -65],\n   [ -64,  -63,  -62,  -61,  -60,  -59],\n   [ -58,  -57,  -56,  -55,  -54,  -53],\n   [ -52,  -51,  -50,  -49,  -48,  -47],\n   [ -46,  -45,  -44,  -43,  -42,  -41]],\n  [[ -40,  -39,  -38,  -37,  -36,  -35],\n   [ -34,  -33,  -32,  -31,  -30,  -29],\n   [ -28,  -27,  -26,  -25,  -24,  -23],\n   [ -22,  -21,  -20,  -19,  -18,  -17],\n   [ -16,  -15,  -14,  -13,  -12,  -11]],\n  [[ -10,   -9,   -8,   -7,   -6,   -5],\n   [  -4,   -3,   -2,   -1,    0,    1],\n   [   2,    3,    4,    5,    6,    7],\n   [   8,    9,   10,   11,   12,   13],\n   [  14,   15,   16,   17,   18,   19]]],\n [[[  20,   21,   22,   23,   24,   25],\n   [  26,   27,   28,   29,   30,   31],\n   [  32,   33,   34,   35,   36,   37],\n   [  38,   39,   40,   41,   42,   43],\n   [  44,   45,   46,   47,   48,   49]],\n  [[  50,   51,   52,   53,   54,   55],\n   [  56,   57,   58,   59,   60,   61],\n   [  62,   63,   64,   65,   66,   67],\n   [  68,   69,   70,   71,   72,   73],\n   [  74,   75,   76,   77,   78,   79]],\n  [[  80,   81,   82,   83,   84,   85],\n   [  86,   87,   88,   89,   90,   91],\n   [  92,   93,   94,   95,   96,   97],\n   [  98,   99,  100,  101,  102,  103],\n   [ 104,  105,  106,  107,  108,  109]],\n  [[ 110,  111,  112,  113,  114,  115],\n   [ 116,  117,  118,  119,  120,  121],\n   [ 122,  123,  124,  125,  126,  127],\n   [ 128,  129,  130,  131,  132,  133],\n   [ 134,  135,  136,  137,  138,  139]]],\n [[[ 140,  141,  142,  143,  144,  145],\n   [ 146,  147,  148,  149,  150,  151],\n   [ 152,  153,  154,  155,  156,  157],\n   [ 158,  159,  160,  161,  162,  163],\n   [ 164,  165,  166,  167,  168,  169]],\n  [[ 170,  171,  172,  173,  174,  175],\n   [ 176,  177,  178,  179,  180,  181],\n   [ 182,  183,  184,  185,  186,  187],\n   [ 188,  189,  190,  191,  192,  193],\n   [ 194,  195,  196,  197,  198,  199]],\n  [[ 200,  201,  202,  203,  204,  205],\n   [ 206,  207,  208,  209,  210,  211],\n   [ 212,  213,  214,  215,  216,  217],\n   [ 218,  219,  220,  221,  222,  223],\n   [ 224,  225,  226,  227,  228,  229]],\n  [[ 230,  231,  232,  233,  234,  235],\n   [ 236,  237,  238,  239,  240,  241],\n   [ 242,  243,  244,  245,  246,  247],\n   [ 248,  249,  250,  251,  252,  253],\n   [ 254,  255,  256,  257,  258,  259]]]])",
        "[[[[-100  -99  -98  -97  -96  -95]\n   [ -94  -93  -92  -91  -90  -89]\n   [ -88  -87  -86  -85  -84  -83]\n   [ -82  -81  -80  -79  -78  -77]\n   [ -76  -75  -74  -73  -72  -71]]\n\n  [[ -70  -69  -68  -67  -66  -65]\n   [ -64  -63  -62  -61  -60  -59]\n   [ -58  -57  -56  -55  -54  -53]\n   [ -52  -51  -50  -49  -48  -47]\n   [ -46  -45  -44  -43  -42  -41]]\n\n  [[ -40  -39  -38  -37  -36  -35]\n   [ -34  -33  -32  -31  -30  -29]\n   [ -28  -27  -26  -25  -24  -23]\n   [ -22  -21  -20  -19  -18  -17]\n   [ -16  -15  -14  -13  -12  -11]]\n\n  [[ -10   -9   -8   -7   -6   -5]\n   [  -4   -3   -2   -1    0    1]\n   [   2    3    4    5    6    7]\n   [   8    9   10   11   12   13]\n   [  14   15   16   17   18   19]]]\n\n\n [[[  20   21   22   23   24   25]\n   [  26   27   28   29   30   31]\n   [  32   33   34   35   36   37]\n   [  38   39   40   41   42   43]\n   [  44   45   46   47   48   49]]\n\n  [[  50   51   52   53   54   55]\n   [  56   57   58   59   60   61]\n   [  62   63   64   65   66   67]\n   [  68   69   70   71   72   73]\n   [  74   75   76   77   78   79]]\n\n  [[  80   81   82   83   84   85]\n   [  86   87   88   89   90   91]\n   [  92   93   94   95   96   97]\n   [  98   99  100  101  102  103]\n   [ 104  105  106  107  108  109]]\n\n  [[ 110  111  112  113  114  115]\n   [ 116  117  118  119  120  121]\n   [ 122  123  124  125  126  127]\n   [ 128  129  130  131  132  133]\n   [ 134  135  136  137  138  139]]]\n\n\n [[[ 140  141  142  143  144  145]\n   [ 146  147  148  149  150  151]\n   [ 152  153  154  155  156  157]\n   [ 158  159  160  161  162  163]\n   [ 164  165  166  167  168  169]]\n\n  [[ 170  171  172  173  174  175]\n   [ 176  177  178  179  180  181]\n   [ 182  183  184  185  186  187]\n   [ 188  189  190  191  192  193]\n   [ 194  195  196  197  198  199]]\n\n  [[ 200  201  202  203  204  205]\n   [ 206  207  208  209  210  211]\n   [ 212  213  214  215  216  217]\n   [ 218  219  220  221  222  223]\n   [ 224  225  226  227  228  229]]\n\n  [[ 230  231  232  233  234  235]\n   [ 236  237  238  239  240  241]\n   [ 242  243  244  245  246  247]\n   [ 248  249  250  251  252  253]\n   [ 254  255  256  257  258  259]]]]",
    ),
    (
        "Tensor(np.arange(30, dtype=np.float32) / 7)",
        "Tensor(shape=[30], dtype=Float32, value= [ 0.00000000e+00,  1.42857149e-01,  2.85714298e-01,  4.28571433e-01,  5.71428597e-01,  7.14285731e-01,  8.57142866e-01,  1.00000000e+00,  1.14285719e+00,  1.28571427e+00,  1.42857146e+00,  1.57142854e+00, \n  1.71428573e+00,  1.85714281e+00,  2.00000000e+00,  2.14285707e+00,  2.28571439e+00,  2.42857146e+00,  2.57142854e+00,  2.71428561e+00,  2.85714293e+00,  3.00000000e+00,  3.14285707e+00,  3.28571439e+00, \n  3.42857146e+00,  3.57142854e+00,  3.71428561e+00,  3.85714293e+00,  4.00000000e+00,  4.14285707e+00])",
        "[0.         0.14285715 0.2857143  0.42857143 0.5714286  0.71428573\n 0.85714287 1.         1.1428572  1.2857143  1.4285715  1.5714285\n 1.7142857  1.8571428  2.         2.142857   2.2857144  2.4285715\n 2.5714285  2.7142856  2.857143   3.         3.142857   3.2857144\n 3.4285715  3.5714285  3.7142856  3.857143   4.         4.142857  ]",
    ),
    ("Tensor(1.1, mstype.float16)", "Tensor(shape=[], dtype=Float16, value= 1.09961)", "1.1"),
    (
        "Tensor([1.7, -2.2], mstype.int32)",
        "Tensor(shape=[2], dtype=Int32, value= [ 1, -2])",
        "[ 1 -2]",
    ),
    (
        "Tensor(np.array([1 + 2**-11 + 2**-40]), mstype.float16)",
        "Tensor(shape=[1], dtype=Float16, value= [ 1.0000e+00])",
        "[1.]",
    ),
    (
        "Tensor(np.array([-1.5, 300.7, np.nan]), mstype.uint8)",
        "Tensor(shape=[3], dtype=UInt8, value= [255,  44,   0])",
        "[255  44   0]",
    ),
    ("Tensor(2**40)", "Tensor(shape=[], dtype=Int64, value= 1099511627776)", "1099511627776"),
]


@pytest.mark.parametrize(("expr", "rep", "text"), R16_PRINTS, ids=[e for e, _, _ in R16_PRINTS])
def test_repr_and_str_match_r16(expr: str, rep: str, text: str) -> None:
    t = eval(expr, {"Tensor": Tensor, "np": np, "mstype": mstype})
    assert (repr(t), str(t)) == (rep, text)


def test_metadata() -> None:
    t = Tensor(np.zeros((2, 3), np.float16))
    assert (t.shape, str(t.dtype), t.size, t.ndim, t.itemsize, t.nbytes, t.strides) == (
        (2, 3),
        "Float16",
        6,
        2,
        2,
        12,
        (6, 2),
    )
    s = Tensor(1.0)
    assert (s.shape, s.size, s.ndim, s.nbytes) == ((), 1, 0, 4)


def test_default_dtypes() -> None:
    kinds = [
        Tensor(x).dtype
        for x in (1.0, 1, True, 1 + 2j, [1.0, 2], [1, 2], [True], [1, True], [], (1, 2.5))
    ]
    assert [str(k) for k in kinds] == [
        "Float32",
        "Int64",
        "Bool",
        "Complex128",
        "Float32",
        "Int64",
        "Bool",
        "Int64",
        "Float32",
        "Float32",
    ]
    assert str(Tensor(np.arange(3)).dtype) == "Int64"
    assert str(Tensor(np.float64(1.5)).dtype) == "Float64"
    assert Tensor([0.1, 0.2], mstype.float64).asnumpy().tolist() == [0.1, 0.2]  # no float32 detour


def test_storage_sharing_as_r16() -> None:
    a = np.array([1.0, 2.0], np.float32)
    t = Tensor(a)
    a[0] = 9  # Tensor(ndarray) copies
    view = Tensor(t)  # Tensor(Tensor) shares, like r1.6's C++ copy
    deep = copy.deepcopy(t)  # r1.6's deepcopy shares too
    t.asnumpy()[1] = 5  # asnumpy() is the storage itself
    assert [t.asnumpy().tolist(), view.asnumpy().tolist(), deep.asnumpy().tolist()] == [
        [1.0, 5.0]
    ] * 3


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Tensor(None), MsTypeError, "input_data and init can not be None at the same time."),
        (lambda: Tensor({}), MsTypeError, "For 'Tensor', the type of `input_data` should be one of '['Tensor', 'ndarray', 'str_', 'list', 'tuple', 'float', 'int', 'bool', 'complex']', but got '{}' with type 'dict'."),
        (lambda: Tensor([1], shape=(1,)), MsValueError, "If input_data is available, shape doesn't need to be set"),
        (lambda: Tensor(np.zeros((0, 2))), MsValueError, "input_data can not contain zero dimension."),
        (lambda: Tensor([1], dtype=np.float32), MsTypeError, "For 'Tensor', the 'dtype' should be one of [mindspore.int8, mindspore.int16, mindspore.int32, mindspore.int64, mindspore.uint8, mindspore.uint16, mindspore.uint32, mindspore.uint64, mindspore.float16, mindspore.float32, mindspore.float64, mindspore.complex64, mindspore.complex128, mindspore.bool_, mindspore.string_], but got float32."),
        (lambda: Tensor(init=One(), dtype=mstype.float32), MsValueError, "init, dtype and shape must have values at the same time."),
        (lambda: Tensor(dtype=mstype.float16, shape=[4, 0], init=One()), MsValueError, "Shape can not contain zero value."),
        (lambda: Tensor(2**70), MsRuntimeError, "Unsupported tensor type!"),
        (lambda: len(Tensor(1.0)), MsTypeError, "Not support len of a 0-D tensor"),
        (lambda: bool(Tensor([1.0, 2.0])), MsValueError, "The truth value of an array with several elements is ambiguous."),
        (lambda: [1, 2][Tensor(1.0)], MsValueError, "Only integer tensors of a single element can be converted to an index."),
        (lambda: Tensor([1.5]).astype("foo"), MsTypeError, "`foo` not understood."),
        (lambda: Tensor([1.5]).init_data(), MsTypeError, "init_data must be set Tensor.init, init can't be None"),
    ],
)  # fmt: skip
def test_errors_as_r16(make, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        make()
    assert str(info.value).startswith(message)


def test_python_protocol() -> None:
    assert [
        bool(Tensor(0.0)),
        bool(Tensor([1.0])),
        len(Tensor(np.zeros((3, 2)))),
        [1, 2, 3][Tensor(1)],
    ] == [False, True, 3, 2]


def test_astype_and_copy() -> None:
    assert (
        repr(Tensor([1.5, 2.5]).astype(mstype.int32))
        == "Tensor(shape=[2], dtype=Int32, value= [1, 2])"
    )
    assert (
        repr(Tensor([1.5, 2.5]).astype("float16"))
        == "Tensor(shape=[2], dtype=Float16, value= [ 1.5000e+00,  2.5000e+00])"
    )
    assert [
        str(Tensor(np.array([0, 3])).astype(t).dtype) for t in (np.float32, int, "int", "bool")
    ] == ["Float32", "Int64", "Int64", "Bool"]
    same = Tensor([1.5])
    assert same.astype(mstype.float32, copy=False) is same
    # r1.6 copies through float32, so a large Int64 loses precision
    assert Tensor(np.array([16777217])).copy().asnumpy().tolist() == [16777216]


def test_initializer_tensor_is_lazy_until_read() -> None:
    seen: list[tuple[int, int]] = []

    def listener(tensor: Tensor, nbytes: int) -> None:
        seen.append((tensor._uid, nbytes))

    t = initializer("ones", [2, 3], mstype.float16)
    assert (t.has_init, t.has_values, t.nbytes) == (True, False, 12)
    assert repr(t) == "Tensor(shape=[2, 3], dtype=Float16, value=\n<uninitialized>)"
    add_materialise_listener(listener)
    try:
        assert str(t) == "[[1. 1. 1.]\n [1. 1. 1.]]"  # reading values materialises, as r1.6
        assert (t.has_init, t.has_values) == (False, True)
        with pytest.raises(MsTypeError, match="init_data must be set Tensor.init"):
            t.init_data()
    finally:
        remove_materialise_listener(listener)
    assert seen == [(t._uid, 12)]


def test_shape_only_tensor() -> None:
    t = Tensor._shape_only((1000, 1000, 1000), mstype.float16)
    assert (t.shape, t.nbytes, t.has_values, t.has_init) == (
        (1000, 1000, 1000),
        2 * 10**9,
        False,
        False,
    )
    assert repr(t) == "Tensor(shape=[1000, 1000, 1000], dtype=Float16, value=\n<shape-only>)"
    for read in (t.asnumpy, lambda: str(t)):
        with pytest.raises(
            MsRuntimeError,
            match=r"has no values: the run is shape-only .* context.set_context\(shape_only=False\)",
        ):
            read()


def test_init_data_in_shape_only_run_creates_no_data() -> None:
    context.set_context(shape_only=True)
    seen: list[int] = []

    def listener(_tensor: Tensor, nbytes: int) -> None:
        seen.append(nbytes)

    add_materialise_listener(listener)
    try:
        t = initializer("normal", [4096, 4096]).init_data()
    finally:
        remove_materialise_listener(listener)
    assert (t.has_init, t.has_values, t.nbytes, seen) == (False, False, 4096 * 4096 * 4, [])


def test_sync_hook_runs_before_every_read() -> None:
    t = Tensor._shape_only((2,), mstype.float32)
    calls: list[str] = []

    def sync() -> None:
        calls.append("sync")
        t._value = np.array([1.0, 2.0], np.float32)
        t._sync = None

    t._sync = sync
    assert t.has_values
    assert repr(t) == "Tensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00,  2.00000000e+00])"
    assert (str(t), calls) == ("[1. 2.]", ["sync"])
    t._sync = sync
    assert (t.asnumpy().tolist(), calls) == ([1.0, 2.0], ["sync", "sync"])
    follower = Tensor(t)
    t._sync = sync
    follower2 = Tensor(t)  # a tensor built from one still computing follows it
    assert (follower2.asnumpy().tolist(), follower.asnumpy().tolist(), len(calls)) == (
        [1.0, 2.0],
        [1.0, 2.0],
        3,
    )


def test_uids_follow_creation_order() -> None:
    a, b, c = Tensor(1.0), initializer("zeros", [2]), Tensor._shape_only((3,), mstype.int8)
    assert a._uid < b._uid < c._uid
