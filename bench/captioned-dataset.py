#!/usr/bin/env python3
"""Writes a dataset that is already normalised and captioned, as captiond leaves it in work/:
members, their sidecars and records, plus an empty inbox/<dataset>/ folder. Used by the benchmarks
that measure what comes after captioning (packaging, the review station).

Usage: captioned-dataset.py ROOT DATASET COUNT FIXTURE FORMAT WIDTH HEIGHT CAPTION
(CAPTION may hold {dataset} and {i})."""
import json, os, shutil, sys

root, dataset, n, fixture, fmt, width, height, caption = sys.argv[1:9]
n, width, height = int(n), int(width), int(height)
ext = os.path.splitext(fixture)[1].lower()
work = os.path.join(root, "work", dataset)
records = os.path.join(work, ".captiond", "records")
os.makedirs(records)
os.makedirs(os.path.join(root, "inbox", dataset))
size = os.path.getsize(fixture)
for i in range(n):
    name = "img_%05d%s" % (i, ext)
    shutil.copyfile(fixture, os.path.join(work, name))
    with open(os.path.join(work, "img_%05d.txt" % i), "w") as f:
        f.write(caption.format(dataset=dataset, i=i) + "\n")
    rec = {"source": name, "sourceFormat": fmt, "sourceBytes": size, "output": name, "format": fmt,
           "width": width, "height": height, "bytes": size, "warnings": [], "captioner": "basic",
           "normalisedAt": "2026-11-25T00:00:00Z", "captionedAt": "2026-11-25T00:00:01Z"}
    with open(os.path.join(records, name + ".json"), "w") as f:
        json.dump(rec, f)
