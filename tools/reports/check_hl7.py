"""Independent reading of her2mri's HL7 v2.5.1 ORU^R01 outputs, run by Tests/ReportsTests/HL7Tests.

    python3 tools/reports/check_hl7.py hl7.er7 hl7.xml [schema.xsd [report.pdf]]

Prints one JSON object:
  "xml": values read from hl7.xml with Python's ElementTree (expat, not libxml2);
  "xsd": whether lxml validates hl7.xml against the schema (null when lxml is absent);
  "er7": values read from hl7.er7 by hl7apy (v2.5.1 ORU_R01 structure; strict validation of
         all but the ED observation, whose base64 exceeds hl7apy's length caps) with HL7 escapes undone by python-hl7's unescape
         (null with "er7Skipped" when those packages are absent).
Packages: hl7apy and hl7 from PyPI (`make setup` puts them in tools/.venv-reports);
python3-lxml from Debian.
"""
import base64
import hashlib
import json
import sys
import xml.etree.ElementTree as ET

er7_path, xml_path = sys.argv[1], sys.argv[2]
xsd_path = sys.argv[3] if len(sys.argv) > 3 else None
pdf_path = sys.argv[4] if len(sys.argv) > 4 else None
NS = {"h": "urn:hl7-org:v2xml"}
out = {}


def summary(get_obx, pid):
    """Collects the same values from either encoding: get_obx yields (code, subId, type, value, flag, method, equipment)."""
    s = dict(pid)
    s["factors"] = {}
    for code, sub, vtype, value, flag, method, equipment in get_obx():
        s.setdefault("methods", set()).add(method)
        s.setdefault("equipment", set()).add(equipment)
        if code == "HER2PROB": s["probability"] = float(value)
        elif code == "HER2PROBL": s["ciLower"] = float(value)
        elif code == "HER2PROBU": s["ciUpper"] = float(value)
        elif code == "HER2CALL": s["call"] = value; s["flag"] = flag; s["callType"] = vtype
        elif code == "HER2TPTS": s["totalPoints"] = float(value)
        elif code == "HER2FVAL": s["factors"].setdefault(sub, {})["value"] = float(value)
        elif code == "HER2FPTS": s["factors"].setdefault(sub, {})["points"] = float(value)
        elif code == "HER2PDF":
            pdf = base64.b64decode(value)
            s["pdfSha256"] = hashlib.sha256(pdf).hexdigest()
            s["pdfType"] = vtype
    s["methods"] = sorted(s.get("methods", []))
    s["equipment"] = sorted(s.get("equipment", []))
    return s


# ---- XML with ElementTree
root = ET.parse(xml_path).getroot()
assert root.tag == "{urn:hl7-org:v2xml}ORU_R01", root.tag


def t(el, path):
    x = el.find(path, NS)
    return None if x is None else (x.text or "")


pid = root.find(".//h:PID", NS)
xml_pid = {"patientId": t(pid, "h:PID.3/h:CX.1"), "family": t(pid, "h:PID.5/h:XPN.1/h:FN.1"),
           "given": t(pid, "h:PID.5/h:XPN.2"), "birthDate": t(pid, "h:PID.7/h:TS.1"),
           "accession": t(root, ".//h:OBR/h:OBR.2/h:EI.1"), "version": t(root, "h:MSH/h:MSH.12/h:VID.1"),
           "messageType": "^".join(t(root, f"h:MSH/h:MSH.9/h:MSG.{i}") for i in (1, 2, 3))}


def xml_obx():
    for o in root.iter("{urn:hl7-org:v2xml}OBX"):
        vtype = t(o, "h:OBX.2")
        v = o.find("h:OBX.5", NS)
        if vtype == "CWE": value = t(v, "h:CWE.1")
        elif vtype == "ED": value = t(v, "h:ED.5")
        else: value = v.text
        yield (t(o, "h:OBX.3/h:CE.1"), t(o, "h:OBX.4"), vtype, value, t(o, "h:OBX.8"),
               t(o, "h:OBX.17/h:CE.1"), t(o, "h:OBX.18/h:EI.1"))


out["xml"] = summary(xml_obx, xml_pid)

# ---- XSD with lxml (when installed)
try:
    from lxml import etree
    if xsd_path:
        schema = etree.XMLSchema(etree.parse(xsd_path))
        ok = schema.validate(etree.parse(xml_path))
        out["xsd"] = ok
        if not ok: out["xsdErrors"] = [str(e) for e in schema.error_log][:5]
except ImportError:
    out["xsd"] = None

# ---- ER7 with hl7apy (structure, strict) and python-hl7 (unescape)
try:
    from hl7apy.parser import parse_message
    from hl7apy.consts import VALIDATION_LEVEL
    import hl7 as pyhl7
except ImportError as e:
    out["er7"] = None
    out["er7Skipped"] = f"hl7apy / hl7 not installed ({e})"
else:
    raw = open(er7_path, encoding="utf-8", newline="").read()  # segments end in \r
    # Tolerant: hl7apy's strict mode caps every primitive at its table length, and the report's
    # base64 (ED.5, TX 65,536 in v2.5.1) is longer; segments, groups and field positions are
    # still resolved against the v2.5.1 ORU_R01 structure (a misplaced segment fails below).
    m = parse_message(raw, find_groups=True, validation_level=VALIDATION_LEVEL.TOLERANT)
    # Strict check of everything but the ED observation (lengths, data types, structure).
    strict = "\r".join(s for s in raw.split("\r") if "|ED|" not in s)
    parse_message(strict, find_groups=True, validation_level=VALIDATION_LEVEL.STRICT).validate()
    un = pyhl7.parse(raw.replace("\n", "\r")).unescape
    pr = m.oru_r01_patient_result
    p = pr.oru_r01_patient.pid
    er7_pid = {"patientId": un(p.pid_3.cx_1.to_er7()), "family": un(p.pid_5.xpn_1.fn_1.to_er7()),
               "given": un(p.pid_5.xpn_2.to_er7()), "birthDate": p.pid_7.ts_1.to_er7(),
               "accession": un(pr.oru_r01_order_observation.obr.obr_2.ei_1.to_er7()),
               "version": m.msh.msh_12.to_er7(), "messageType": m.msh.msh_9.to_er7()}

    def er7_obx():
        for g in pr.oru_r01_order_observation.oru_r01_observation:
            o = g.obx
            vtype = o.obx_2.to_er7()
            v5 = o.obx_5.to_er7()
            value = v5.split("^")[0] if vtype == "CWE" else (v5.split("^")[4] if vtype == "ED" else v5)
            yield (o.obx_3.ce_1.to_er7(), o.obx_4.to_er7(), vtype, value, o.obx_8.to_er7(),
                   un(o.obx_17.ce_1.to_er7()), un(o.obx_18.ei_1.to_er7()))

    out["er7"] = summary(er7_obx, er7_pid)

if pdf_path:
    out["pdfFileSha256"] = hashlib.sha256(open(pdf_path, "rb").read()).hexdigest()
print(json.dumps(out, ensure_ascii=False, indent=1))
