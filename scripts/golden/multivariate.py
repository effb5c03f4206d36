"""Golden fixtures for packages/stats/src/multivariate: NannyML's data-reconstruction (PCA) drift.

Run: scripts/golden/.venv/bin/python -P scripts/golden/multivariate.py  (or scripts/golden/generate.sh)
Inputs are rounded to 5 decimals and stored in the fixture, so the TypeScript tests read identical data.
"""

import os
import sys
import warnings
from pathlib import Path

# sibling golden scripts must not shadow standard modules: this folder goes last on the path, for _common
sys.path = [p for p in sys.path if os.path.abspath(p or '.') != os.path.dirname(os.path.abspath(__file__))]
sys.path.append(str(Path(__file__).resolve().parent))

os.environ.setdefault('NML_DISABLE_USAGE_LOGGING', '1')

import nannyml  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from _common import generator, num, write_fixture  # noqa: E402

warnings.filterwarnings('ignore')

GENERATOR = generator(
    'multivariate.py',
    {'nannyml': nannyml.__version__, 'scikit-learn': sklearn.__version__, 'numpy': np.__version__, 'pandas': pd.__version__},
)


def correlated(rng, n, d):
    """Features driven by two shared factors plus noise: strongly correlated, different scales."""
    factors = rng.normal(0, 1, (n, 2))
    loadings = np.array([[1.0, 0.2], [0.9, -0.3], [0.8, 0.5], [0.1, 1.0], [-0.4, 0.9], [0.6, 0.6], [0.3, -0.8]])[:d]
    scales = np.array([1.0, 3.0, 0.5, 10.0, 2.0, 1.5, 0.2])[:d]
    x = (factors @ loadings.T + rng.normal(0, 0.4, (n, d))) * scales + np.arange(d)
    return x


def run_case(name, seed, d, with_categorical, with_missing):
    rng = np.random.default_rng(seed)
    n_ref, n_ana, chunk = 2000, 2000, 200
    ref = correlated(rng, n_ref, d)
    ana = correlated(rng, n_ana, d)
    # break the correlation in the second half of the analysis data while keeping every marginal:
    # each column is permuted on its own
    half = n_ana // 2
    for j in range(d):
        ana[half:, j] = rng.permutation(ana[half:, j])
    ref, ana = np.round(ref, 5), np.round(ana, 5)
    cols = [f'f{j}' for j in range(d)]
    ref_df = pd.DataFrame(ref, columns=cols)
    ana_df = pd.DataFrame(ana, columns=cols)
    categorical = None
    if with_categorical:
        cats = np.array(['web', 'store', 'phone', 'partner'])
        ref_c = cats[rng.choice(4, n_ref, p=[0.5, 0.3, 0.15, 0.05])]
        ana_c = cats[rng.choice(4, n_ana, p=[0.5, 0.3, 0.15, 0.05])].astype(object)
        ana_c[rng.choice(n_ana, 20, replace=False)] = 'kiosk'  # unseen in reference
        ref_df['channel'] = ref_c
        ana_df['channel'] = ana_c
        cols = cols + ['channel']
        categorical = {'reference': ref_c.tolist(), 'analysis': [str(v) for v in ana_c]}
    if with_missing:
        for df in (ref_df, ana_df):
            for j in (0, 2):
                df.loc[rng.choice(len(df), 40, replace=False), f'f{j}'] = np.nan
    calc = nannyml.DataReconstructionDriftCalculator(column_names=cols, chunk_size=chunk)
    calc.fit(ref_df)
    res = calc.calculate(ana_df).to_df()
    chunks = []
    for _, row in res.iterrows():
        chunks.append(
            {
                'period': row[('chunk', 'period')],
                'start': int(row[('chunk', 'start_index')]),
                'end': int(row[('chunk', 'end_index')]) + 1,
                'value': num(row[('reconstruction_error', 'value')]),
                'samplingError': num(row[('reconstruction_error', 'sampling_error')]),
                'upperConfidence': num(row[('reconstruction_error', 'upper_confidence_boundary')]),
                'lowerConfidence': num(row[('reconstruction_error', 'lower_confidence_boundary')]),
                'upperThreshold': num(row[('reconstruction_error', 'upper_threshold')]),
                'lowerThreshold': num(row[('reconstruction_error', 'lower_threshold')]),
                'alert': bool(row[('reconstruction_error', 'alert')]),
            }
        )

    def numeric(df):
        return [[num(v) for v in df[f'f{j}']] for j in range(d)]

    return {
        'name': name,
        'chunkSize': chunk,
        'components': int(calc._pca.n_components_),
        'reference': {'numeric': numeric(ref_df), 'categorical': categorical and [categorical['reference']]},
        'analysis': {'numeric': numeric(ana_df), 'categorical': categorical and [categorical['analysis']]},
        'chunks': chunks,
    }


if __name__ == '__main__':
    payload = {
        'generator': GENERATOR,
        'cases': [
            run_case('numeric', 11, 6, False, False),
            run_case('numeric_categorical_missing', 12, 5, True, True),
        ],
    }
    write_fixture('multivariate-reconstruction', payload)
    for case in payload['cases']:
        print(case['name'], case['components'], [round(c['value'], 4) for c in case['chunks']])
