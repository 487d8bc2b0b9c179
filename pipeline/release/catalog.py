"""Catalogue metadata of a release: `datapackage.json` (Frictionless) and `croissant.json` (Croissant 1.1).

For data catalogues and loaders that never read our code. Both are derived
from the Pydantic models (columns, primary and foreign keys), never written
by hand, and hold nothing that changes between two builds of the same
inputs (no dates, no absolute paths). The Croissant file describes every
Parquet file as a FileObject with its sha256 and every table as a RecordSet.
"""
from __future__ import annotations

import datetime as dt

import pyarrow as pa

from schemas.derive import columns, frictionless_schema
from schemas.records import MODELS_BY_TABLE

NAME = "paradip"
TITLE = "paradip: foreign relations of Vietnamese localities"
DESCRIPTION = ("Events, actors and agreements of the city diplomacy of Vietnamese localities, "
               "extracted from news articles in English and Vietnamese, with the article and "
               "characters that support every row.")
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}
CREATOR = "paradip contributors"
LANGUAGES = ("en", "vi")


def citation(version: str, date: str | None = None) -> str:
    """BibTeX entry of a release; its year is the release date's (`release.date` in params.yaml)."""
    fields = [("title", f"{{{TITLE}}}"), ("author", f"{{{CREATOR}}}"), ("note", f"Dataset release {version}"),
              ("version", version)] + ([("year", date[:4])] if date else [])
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@misc{{paradip_{version.replace('.', '_')},\n{body}\n}}"


def datapackage(version: str, arrow: dict[str, pa.Table]) -> dict:
    """Frictionless Data Package: one tabular resource per Parquet file, with keys."""
    resources = []
    for name in arrow:
        model = MODELS_BY_TABLE[name]
        resources.append({
            "name": name, "path": f"{name}.parquet", "format": "parquet", "profile": "tabular-data-resource",
            "description": model.table.description, "schema": frictionless_schema(model)})
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "licenses": [LICENSE],
        "resources": resources,
    }


# Croissant 1.1 JSON-LD context, as mlcroissant writes it for `conformsTo` 1.1.
CROISSANT_CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "arrayShape": "cr:arrayShape", "citeAs": "cr:citeAs",
    "column": "cr:column", "conformsTo": "dct:conformsTo", "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet",
    "format": "cr:format", "includes": "cr:includes", "isArray": "cr:isArray", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField",
    "path": "cr:path", "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex",
    "repeated": "cr:repeated", "replace": "cr:replace", "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform",
}
_CROISSANT_TYPES = {str: "sc:Text", int: "sc:Integer", float: "sc:Float", dt.date: "sc:Date", list: "sc:Text"}


def _croissant_field(table: str, column) -> dict:
    field = {"@type": "cr:Field", "@id": f"{table}/{column.name}", "name": column.name,
             "dataType": _CROISSANT_TYPES[column.base],
             "source": {"fileObject": {"@id": f"{table}.parquet"}, "extract": {"column": column.name}}}
    notes = [column.description] if column.description else []
    if column.enum_values:
        notes.append("one of: " + ", ".join(column.enum_values))
    if column.codes:
        notes.append(f"a code of {column.codes.name}")
    bounds = [f"at least {column.minimum}"] * (column.minimum is not None) + \
        [f"at most {column.maximum}"] * (column.maximum is not None)
    if bounds:
        notes.append(" and ".join(bounds))
    if column.nullable:
        notes.append("may be null")
    if notes:
        field["description"] = "; ".join(notes)
    if column.base is list:
        field["isArray"] = True
        field["arrayShape"] = "-1"
    return field


def _record_set(name: str) -> dict:
    spec = MODELS_BY_TABLE[name].table
    fields = [_croissant_field(name, c) for c in columns(MODELS_BY_TABLE[name])]
    by_id = {f["@id"]: f for f in fields}
    for fk in spec.foreign_keys:
        for column, ref in zip(fk.columns, fk.ref_columns):
            field = by_id[f"{name}/{column}"]
            if fk.ref_table == name:  # a self-reference is a cycle to Croissant's record loader
                field["description"] = "; ".join(filter(None, [field.get("description"), f"refers to {ref} of {name}"]))
            else:
                field["references"] = {"field": {"@id": f"{fk.ref_table}/{ref}"}}
    key = [{"@id": f"{name}/{c}"} for c in spec.primary_key]
    return {"@type": "cr:RecordSet", "@id": name, "name": name, "description": spec.description,
            "key": key[0] if len(key) == 1 else key, "field": fields}


def croissant(version: str, date: str | None, tables: list[str], sha256_by_file: dict[str, str]) -> dict:
    """Croissant 1.1 metadata: a FileObject (with sha256) per Parquet file, a RecordSet per table."""
    distribution = [{"@type": "cr:FileObject", "@id": f"{name}.parquet", "name": f"{name}.parquet",
                     "description": f"The {name} table as Parquet (zstd).", "contentUrl": f"{name}.parquet",
                     "encodingFormat": "application/x-parquet", "sha256": sha256_by_file[f"{name}.parquet"]}
                    for name in tables]
    metadata = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": NAME,
        "alternateName": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "license": LICENSE["path"],
        "creator": {"@type": "sc:Organization", "name": CREATOR},
        "citeAs": citation(version, date),
        "inLanguage": list(LANGUAGES),
        "keywords": ["city diplomacy", "paradiplomacy", "Vietnam", "event data", "news"],
        "distribution": distribution,
        "recordSet": [_record_set(name) for name in tables],
    }
    if date:
        metadata["datePublished"] = date
    return metadata
