"""The single source of truth: every stage passes these models, and the DuckDB tables,
the `jixiao extract` JSON lines and the JSON Schema are all derived from them.

Conventions
- Every fact has `text`, `start`, `end` with `document.text[start:end] == text`.
- Money, rates and scores are `Decimal` (serialised as strings in JSON), never float.
- Approximate figures carry an interval (`low`, `high`) that the checks use.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

# Decimals go out as plain strings ("52913900", "0.0203"), never in exponent form.
Dec = Annotated[
    Decimal,
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
]

Format = Literal["txt", "docx", "pdf", "doc", "html"]
ErrorCode = Literal[
    "empty",
    "decode_error",
    "corrupt_file",
    "encrypted_pdf",
    "no_text_layer",
    "unsupported_format",
    "too_large",
    "timeout",
    "not_found",
]
Qualifier = Literal["about", "over", "under", "at_least", "at_most"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


# Default factories as plain functions rather than `list` or a model class: building a
# model's validator, pydantic inspects each factory's signature, and for a builtin such as
# `list` that means parsing its text signature with tokenize and ast (~0.3 ms a field,
# ~45 fields: ~12 ms of every process's first document). Same defaults, same schema.
def _empty_list() -> list:
    return []


# --------------------------------------------------------------------------- reading


class ReadError(Model):
    """A problem a user can cause, stored as a value (never an escaping exception)."""

    code: ErrorCode
    message: str  # Chinese, one line, says what to do


class Page(Model):
    number: int  # 1-based
    start: int
    end: int
    reliable: bool = True
    problems: list[str] = Field(default_factory=_empty_list)  # e.g. "cid_glyphs", "replacement_chars"


class Block(Model):
    """A paragraph, heading or table row of the document text."""

    kind: Literal["paragraph", "heading", "table_row"] = "paragraph"
    start: int
    end: int
    page: Optional[int] = None


class Document(Model):
    source: str
    doc_id: str  # sha256 of the file's bytes
    format: Format
    text: str = ""
    encoding: Optional[str] = None
    pages: list[Page] = Field(default_factory=_empty_list)
    blocks: list[Block] = Field(default_factory=_empty_list)
    warnings: list[str] = Field(default_factory=_empty_list)
    error: Optional[ReadError] = None


# --------------------------------------------------------------------------- structure


class Section(Model):
    """One heading of the outline: 一、 / （一） / 1. / 1、 / （1） / ①."""

    path: str  # "三/（一）" — labels of the enclosing headings, outermost first
    label: str  # "（一）"
    level: int  # 1 = outermost
    title: str  # heading text after the label
    start: int  # heading start
    end: int  # end of the section's body (start of the next heading of same or higher level)


# --------------------------------------------------------------------------- facts


class Fact(Model):
    text: str
    start: int
    end: int
    section: Optional[str] = None  # Section.path the fact sits in


class Amount(Fact):
    value_yuan: Dec
    unit: str  # as written: 万元, 亿, 元, 萬元 …
    qualifier: Optional[Qualifier] = None
    bound: bool = False
    low: Optional[Dec] = None  # interval for approximate figures, in 元
    high: Optional[Dec] = None
    decimals: int = 0  # decimals as written (precision of the stated figure)


class Rate(Fact):
    value: Dec  # a fraction: 24% -> 0.24
    qualifier: Optional[Qualifier] = None
    bound: bool = False
    low: Optional[Dec] = None
    high: Optional[Dec] = None
    decimals: int = 0  # decimals of the percentage as written (2.03% -> 2)


class Count(Fact):
    value: int
    classifier: str
    subject: Optional[str] = None
    qualifier: Optional[Qualifier] = None
    bound: bool = False


class DocNumber(Fact):
    canonical: str
    issuer: str
    year: int
    serials: list[int]
    title: Optional[str] = None
    repaired: bool = False  # True when the written form was damaged and canonical is a repair


class Grade(Fact):
    level: str  # 优 良 中 差, or as written (A, B, 优良)
    count: Optional[int] = None
    subject: Optional[str] = None


class Score(Fact):
    value: Dec
    kind: Literal["average", "single"] = "single"


class Date(Fact):
    iso: str  # 2023-08-23, 2023-08, 2023
    iso_end: Optional[str] = None
    precision: Literal["day", "month", "year"] = "day"


AnyFact = Union[Amount, Rate, Count, DocNumber, Grade, Score, Date]


class Facts(Model):
    """All facts of one document, one list per kind (the `extract` lists)."""

    amounts: list[Amount] = Field(default_factory=_empty_list)
    rates: list[Rate] = Field(default_factory=_empty_list)
    counts: list[Count] = Field(default_factory=_empty_list)
    doc_numbers: list[DocNumber] = Field(default_factory=_empty_list)
    grades: list[Grade] = Field(default_factory=_empty_list)
    scores: list[Score] = Field(default_factory=_empty_list)
    dates: list[Date] = Field(default_factory=_empty_list)


# --------------------------------------------------------------------------- metadata


class Jurisdiction(Model):
    name: Optional[str] = None  # as written in the report: 克州, 师宗县
    full_name: Optional[str] = None  # 克孜勒苏柯尔克孜自治州
    province: Optional[str] = None
    prefecture: Optional[str] = None
    admin_code: Optional[str] = None  # 6 digits
    matched_by: Optional[str] = None  # exact | alias | short_name | override | parent
    ambiguous: list[str] = Field(default_factory=_empty_list)  # other admin codes the name could be


def _new_jurisdiction() -> Jurisdiction:
    return Jurisdiction()


class DocMeta(Model):
    title: Optional[str] = None
    fiscal_year: Optional[int] = None
    jurisdiction: Jurisdiction = Field(default_factory=_new_jurisdiction)


# --------------------------------------------------------------------------- metrics and findings


class Span(Model):
    start: int
    end: int
    text: str


class Metric(Model):
    name: str  # from SPEC's vocabulary: targets.cut_amount …
    value: Dec
    unit: Literal["yuan", "fraction", "count", "score"]
    qualifier: Optional[Qualifier] = None
    section: Optional[str] = None
    evidence: list[Span]  # the fact(s) it came from


class Finding(Model):
    rule: str  # arithmetic.difference | arithmetic.rate | arithmetic.sum | repeated_total | …
    severity: Literal["error", "warning", "info"]
    message: str  # Chinese, one sentence a reviewer can act on
    values: list[str]  # the `text` of every fact involved
    spans: list[Span]
    expected: Optional[str] = None
    actual: Optional[str] = None
    suspect: Optional[str] = None  # the operand most likely wrong, when a third figure decides it


class Coverage(Model):
    """How much of the report the checks looked at (a checker that skips is not precise)."""

    amounts_reported: int = 0  # non-bound amounts
    amounts_checked: int = 0  # of those, how many took part in at least one check
    share: Optional[float] = None


def _new_coverage() -> Coverage:
    return Coverage()


# --------------------------------------------------------------------------- one `jixiao extract` line


class ExtractRecord(Model):
    source: str
    doc_id: str
    format: Format
    title: Optional[str] = None
    jurisdiction: Optional[str] = None
    province: Optional[str] = None
    prefecture: Optional[str] = None
    admin_code: Optional[str] = None
    fiscal_year: Optional[int] = None
    amounts: list[Amount] = Field(default_factory=_empty_list)
    rates: list[Rate] = Field(default_factory=_empty_list)
    counts: list[Count] = Field(default_factory=_empty_list)
    doc_numbers: list[DocNumber] = Field(default_factory=_empty_list)
    grades: list[Grade] = Field(default_factory=_empty_list)
    scores: list[Score] = Field(default_factory=_empty_list)
    dates: list[Date] = Field(default_factory=_empty_list)
    metrics: list[Metric] = Field(default_factory=_empty_list)
    findings: list[Finding] = Field(default_factory=_empty_list)
    coverage: Coverage = Field(default_factory=_new_coverage)
    sections: list[Section] = Field(default_factory=_empty_list)
    pages_unreliable: list[int] = Field(default_factory=_empty_list)
    warnings: list[str] = Field(default_factory=_empty_list)
    error: Optional[ReadError] = None
    pipeline_version: str = "0"


@functools.cache
def list_validator(model: type[BaseModel]):
    """The validator of list[model], built on first use (not at import: cold start). One
    validate_python call over a list of dicts costs about half of constructing each model."""
    from pydantic import TypeAdapter

    return TypeAdapter(list[model])


# --------------------------------------------------------------------------- trusted construction
# For the hot paths: extractors build ~60 facts a report whose values they already made in
# the fields' exact types, and analyse sets each fact's section.

_new = object.__new__
# BaseModel's slots, set through their descriptors: one C call each, without the attribute
# lookup by name that object.__setattr__ does (~30 ns a slot, four slots a fact)
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def trusted(cls, given: tuple[str, ...]):
    """A constructor for facts whose values the extractor already made in the field's exact
    type (str, int, bool, Decimal, None, a fresh list): it skips pydantic's validation (~3 µs
    a fact, ~60 facts a report) and sets what `cls(**values)` would (fields set, no extras).

    `build(values)`: `values` holds every field of `cls` in declaration order (defaults
    included, so `model_dump` reads them in the usual order); `given` names the fields the
    validated call would have been passed (its fields set). Checked against `cls` here, so a
    schema change fails at import, and against validation in the extractor tests."""
    fields = tuple(cls.model_fields)
    config = cls.model_config
    # only for plain models: no extras kept, no private attributes, no model validators
    assert config.get("extra") == "forbid" and not cls.__private_attributes__
    assert not cls.__pydantic_decorators__.model_validators and not cls.__pydantic_decorators__.field_validators
    required = {name for name, f in cls.model_fields.items() if f.is_required()}
    assert required <= set(given) <= set(fields), (cls.__name__, given)
    fields_set = set(given)  # copied for every fact (pydantic adds to it on assignment)

    def build(values: dict):
        obj = _new(cls)
        _set_dict(obj, values)
        _set_fields_set(obj, fields_set.copy())
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj

    build.fields = fields
    return build


def set_field(obj: BaseModel, name: str, value) -> None:
    """`obj.name = value` for a plain field of a model without validate_assignment, minus
    pydantic's __setattr__ dispatch (analyse sets the section of every fact). The caller
    checks once that the model validates no assignment (see `plain_assignment`)."""
    obj.__dict__[name] = value
    obj.__pydantic_fields_set__.add(name)


def plain_assignment(cls: type[BaseModel]) -> bool:
    """Whether set_field may stand for `obj.name = value` on this model."""
    return not cls.model_config.get("validate_assignment") and not cls.model_config.get("frozen")
