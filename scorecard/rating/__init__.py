"""Rating: thresholds in force, RAG, direction of travel, summaries and rule-change previews."""

from scorecard.rating.compare import compare_ratings
from scorecard.rating.rate import ResultsError, rate, validate_results
from scorecard.rating.summary import applicable_rows, summary_counts, summary_sentence
from scorecard.rating.vocabulary import RAG, Direction, RatingState

__all__ = [
    "RAG",
    "Direction",
    "RatingState",
    "ResultsError",
    "applicable_rows",
    "compare_ratings",
    "rate",
    "summary_counts",
    "summary_sentence",
    "validate_results",
]
