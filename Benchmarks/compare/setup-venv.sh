#!/usr/bin/env bash
# The side-by-side benchmark's own Python (never CI's): the pinned references and the fastest
# peers, in Benchmarks/.venv-compare (gitignored). Run once, then
#   Benchmarks/.venv-compare/bin/python Benchmarks/compare/compare.py --cases W1-ols,...
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.venv-compare"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 statsmodels==0.15.0 \
    scikit-learn-intelex==2026.2.0 faiss-cpu==1.15.1
"$venv/bin/python" -c "import numpy, scipy, sklearn, statsmodels, sklearnex, faiss; print('ready:', 'numpy', numpy.__version__, 'scipy', scipy.__version__, 'scikit-learn', sklearn.__version__, 'statsmodels', statsmodels.__version__, 'faiss', faiss.__version__)"
