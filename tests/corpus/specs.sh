# Sourced: sets `corpus_specs` to every corpus document the checks read
# (each version folder, and the root file of each multi-file spec).
# Needs ../shared beside the workspace; run from the workspace root.
CORPUS="../shared/corpus"
corpus_specs=("$CORPUS"/*.yaml "$CORPUS"/*.json "$CORPUS"/v2/* "$CORPUS"/v30/* "$CORPUS"/v31/* "$CORPUS"/v32/*
  "$CORPUS"/multifile/lichess/lichess-api.yaml "$CORPUS"/multifile/lob/lob-api-public.yml
  "$CORPUS"/multifile/redocly-openapi-starter/openapi.yaml)
