#!/usr/bin/env python3
"""Generates N IAM policy files (deterministic, seeded) for the IAM benchmark.

Mix: exact actions, service wildcards, mid-name wildcards, NotAction, NotResource, Deny
(conditional and not), conditions, PassRole scoped and unscoped, typos.
Usage: gen-iam-policies.py OUT_DIR [N]
"""
import json
import os
import random
import sys

ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:GetItem", "dynamodb:PutItem",
           "dynamodb:Query", "sqs:SendMessage", "sns:Publish", "kms:Decrypt", "logs:CreateLogStream",
           "logs:PutLogEvents", "secretsmanager:GetSecretValue", "ssm:GetParameter", "lambda:InvokeFunction",
           "iam:PassRole", "iam:CreatePolicyVersion", "ec2:RunInstances", "xray:PutTraceSegments",
           "events:PutEvents", "states:StartExecution"]
PATTERNS = ["s3:*", "dynamodb:*", "s3:Get*", "iam:*Policy*", "ec2:Describe*", "lambda:*", "kms:*",
            "logs:*", "sqs:*", "*", "cloudwatch:Put*", "ssm:GetParameter*", "sts:AssumeRole*"]
TYPOS = ["s3:GetObjekt", "dynamodb:GetItems", "lamda:InvokeFunction"]
RESOURCES = ["*", "arn:aws:s3:::orders-bucket/*", "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
             "arn:aws:iam::123456789012:role/app-*", "arn:aws:s3:::*"]


def statement(r):
    kind = r.random()
    st = {"Effect": "Allow"}
    if kind < 0.45:
        st["Action"] = r.sample(ACTIONS, r.randint(1, 4))
    elif kind < 0.75:
        st["Action"] = r.sample(PATTERNS, r.randint(1, 2))
    elif kind < 0.82:
        st["NotAction"] = r.sample(["iam:*", "organizations:*", "account:*"], r.randint(1, 2))
    elif kind < 0.90:
        st["Effect"] = "Deny"
        st["Action"] = r.sample(PATTERNS + ACTIONS, 2)
        if r.random() < 0.5:
            st["Condition"] = {"Bool": {"aws:SecureTransport": "false"}}
    elif kind < 0.95:
        st["Action"] = [r.choice(TYPOS)]
    else:
        st["Action"] = ["iam:PassRole"]
    if r.random() < 0.05:
        st["NotResource"] = [r.choice(RESOURCES[1:])]
    else:
        st["Resource"] = r.choice(RESOURCES)
    if "Condition" not in st and r.random() < 0.2:
        st["Condition"] = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    return st


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    os.makedirs(out, exist_ok=True)
    r = random.Random(42)
    for i in range(n):
        doc = {"Version": "2012-10-17", "Statement": [statement(r) for _ in range(r.randint(1, 6))]}
        with open(os.path.join(out, "policy-%05d.json" % i), "w") as f:
            json.dump(doc, f)


if __name__ == "__main__":
    main()
