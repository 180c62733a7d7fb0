import json

from pipeline.nlp import model_description, model_fingerprint
from pipeline.process import pipeline_version


def test_a_retrained_model_with_the_same_name_changes_the_pipeline_version(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, score in ((a, 0.69), (b, 0.70)):
        folder.mkdir()
        (folder / "meta.json").write_text(json.dumps({"lang": "nb", "name": "norne_sm", "version": "0.1.0",
                                                      "performance": {"ents_f": score}}))
    assert model_description(str(a)).split(";")[0] == model_description(str(b)).split(";")[0] == "nb_norne_sm 0.1.0"
    assert model_fingerprint(str(a)) != model_fingerprint(str(b))
    assert pipeline_version(model_description(str(a)), str(a)) != pipeline_version(model_description(str(b)), str(b))
