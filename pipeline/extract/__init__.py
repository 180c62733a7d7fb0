"""The extraction stage: one package per output table, plus the quantity layer and what the
extractors share. Importing this package registers our spaCy components.

    quantities/     money, percentages, durations, counts: one component, `doc.spans["quantities"]`
    amounts/        amounts rows (money spans + table cells under a unit header)
    organisations/  mentions and organisations rows (gazetteer, ruler, document rules, resolution)
    targets/        targets rows (goal cues: spaCy span_ruler)
    actions/        actions rows (action cues: spaCy span_ruler; measure lists)
    common/         clauses, cue rulers, statements, provenance rows, years
Their words live in pipeline/lang/<lang>/.
"""
from pipeline.extract import actions, amounts, organisations, quantities, targets  # noqa: F401
