#!/usr/bin/env python3
"""Generates fixtures/controls/<control>/{positive,negative}/... (the examiner-style cases of
ControlsConformanceTest). Run from anywhere: python3 scripts/gen-controls-fixtures.py
(delete fixtures/controls first to drop removed cases)."""
import json, os, textwrap
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "controls")

def w(ctrl, kind, name, text):
    p = os.path.join(ROOT, ctrl, kind, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(textwrap.dedent(text).lstrip("\n") if not text.startswith("{") else text)
        if not text.endswith("\n"):
            f.write("\n")

def pol(*stmts, single=False):
    st = stmts[0] if single else list(stmts)
    return json.dumps({"Version": "2012-10-17", "Statement": st}, indent=2)

def A(action, resource="*", **kw):
    s = {"Effect": "Allow"}
    s["NotAction" if kw.pop("notaction", False) else "Action"] = action
    if kw.pop("notresource", False):
        s["NotResource"] = resource
    elif resource is not None:
        s["Resource"] = resource
    s.update(kw)
    return s

def D(action, resource="*", **kw):
    s = A(action, resource, **kw); s["Effect"] = "Deny"; return s

def res(type_, name, values, module=None):
    return {"address": f"{type_}.{name}", "mode": "managed", "type": type_, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values}

def tfplan(*resources):
    return json.dumps({"format_version": "1.2", "terraform_version": "1.7.5",
                       "planned_values": {"root_module": {"resources": list(resources)}},
                       "configuration": {"root_module": {}}}, indent=2)

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})

def tf_fn(name="worker", **over):
    v = {"function_name": name, "arn": f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
         "role": "arn:aws:iam::123456789012:role/worker-role", "runtime": "python3.12", "handler": "app.handler",
         "package_type": "Zip", "tracing_config": [{"mode": "Active"}], "environment": [],
         "dead_letter_config": [], "code_signing_config_arn": "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0"}
    v.update(over)
    return res("aws_lambda_function", name, v)

def tf_role_with_policy(*stmts, fn_over=None):
    return tfplan(
        res("aws_iam_role", "worker", {"name": "worker-role", "arn": "arn:aws:iam::123456789012:role/worker-role",
                                       "id": "worker-role", "assume_role_policy": TRUST, "inline_policy": [], "managed_policy_arns": []}),
        res("aws_iam_role_policy", "worker", {"name": "worker-policy", "role": "worker-role", "id": "worker-role:worker-policy",
                                              "policy": json.dumps({"Version": "2012-10-17", "Statement": list(stmts)})}),
        tf_fn(**(fn_over or {})))

def getpolicy(*stmts):
    inner = json.dumps({"Version": "2012-10-17", "Id": "default", "Statement": list(stmts)})
    return json.dumps({"Policy": inner, "RevisionId": "4f2a1c9e-0000-4000-8000-000000000001"}, indent=2)

FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders"
def invoke(principal, cond=None, sid="s", action="lambda:InvokeFunction"):
    s = {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": FN_ARN}
    if cond: s["Condition"] = cond
    return s


def ind(s, n):
    return textwrap.indent(textwrap.dedent(s).strip("\n"), " " * n)

def sam(props, extra="", globals_=""):
    out = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
    if globals_:
        out += "Globals:\n  Function:\n" + ind(globals_, 4) + "\n"
    out += "Resources:\n  OrdersFn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
    out += "      Handler: app.handler\n      CodeUri: src/\n" + ind(props, 6) + "\n"
    if extra:
        out += ind(extra, 2) + "\n"
    return out

def sam_pol(statements_yaml, props=""):
    return sam("Runtime: python3.12\nPolicies:\n  - Statement:\n" + ind(statements_yaml, 6) + ("\n" + textwrap.dedent(props).strip("\n") if props else ""))

def sls(body):
    return "service: orders\nframeworkVersion: '3'\n" + textwrap.dedent(body).lstrip("\n")

def sls_pol(statements_yaml, fn_extra=""):
    return sls("provider:\n  name: aws\n  runtime: nodejs22.x\n  iam:\n    role:\n      statements:\n" + ind(statements_yaml, 8) +
               "\nfunctions:\n  api:\n    handler: handler.main\n" + (ind(fn_extra, 4) + "\n" if fn_extra else ""))

# ---------------- wildcard-admin ----------------
C = "wildcard-admin"
w(C, "positive", "star-on-star-single-statement.json", pol(A("*", "*"), single=True))
w(C, "positive", "notaction-almost-everything.json", pol(A(["s3:DeleteBucket"], "*", notaction=True)))
w(C, "positive", "sam-inline-star.yaml", sam_pol("""
- Effect: Allow
  Action: '*'
  Resource: '*'
"""))
w(C, "positive", "serverless-provider-star.yml", sls_pol("""
- Effect: Allow
  Action:
    - '*'
  Resource:
    - '*'
"""))
w(C, "positive", "tfplan-star.json", tf_role_with_policy(A("*", "*")))
w(C, "positive", "conditional-deny-does-not-remove.json", pol(A("*", "*"),
    D("*", "*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}})))
w(C, "negative", "service-wildcard-only.json", pol(A("s3:*", "*")))
w(C, "negative", "star-on-one-bucket.json", pol(A("*", ["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"])))
w(C, "negative", "unconditional-deny-overrides.json", pol(A("*", "*"), D("*", "*")))
w(C, "negative", "sam-scoped.yaml", sam_pol("""
- Effect: Allow
  Action:
    - dynamodb:GetItem
    - dynamodb:PutItem
  Resource: !GetAtt OrdersTable.Arn
"""))

# ---------------- service-wildcard ----------------
C = "service-wildcard"
w(C, "positive", "s3-star-on-bucket.json", pol(A("s3:*", ["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"])))
w(C, "positive", "sam-dynamodb-star.yaml", sam_pol("""
- Effect: Allow
  Action: dynamodb:*
  Resource: !GetAtt OrdersTable.Arn
"""))
w(C, "positive", "serverless-mixed-case.yml", sls_pol("""
- Effect: Allow
  Action: DynamoDB:*
  Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
"""))
w(C, "positive", "tfplan-sqs-star.json", tf_role_with_policy(A("sqs:*", "arn:aws:sqs:us-east-1:123456789012:orders")))
w(C, "negative", "get-star-only.json", pol(A("s3:Get*", "*")))
w(C, "negative", "explicit-actions.json", pol(A(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::orders-bucket/*")))
w(C, "negative", "denied-unconditionally.json", pol(A("s3:*", "*"), D("s3:*", "*")))
w(C, "negative", "deny-statement-only-has-star.json", pol(A("s3:GetObject", "arn:aws:s3:::orders-bucket/*"), D("s3:*", "arn:aws:s3:::audit-bucket/*")))

# ---------------- wildcard-action ----------------
C = "wildcard-action"
w(C, "positive", "get-star-object-on-star.json", pol(A("s3:Get*Object", "*")))
w(C, "positive", "iam-star-policy-star.json", pol(A("iam:*Policy*", "*"), single=True))
w(C, "positive", "sam-describe-star.yaml", sam_pol("""
- Effect: Allow
  Action: ec2:Describe*
  Resource: '*'
"""))
w(C, "positive", "tfplan-s3-list-on-all-buckets.json", tf_role_with_policy(A("s3:List*", "arn:aws:s3:::*")))
w(C, "negative", "wildcard-on-specific-bucket.json", pol(A("s3:Get*", "arn:aws:s3:::orders-bucket/*")))
w(C, "negative", "exact-action-on-star.json", pol(A("s3:GetObject", "*")))
w(C, "negative", "denied-unconditionally.json", pol(A("ec2:Describe*", "*"), D("ec2:*", "*")))
w(C, "negative", "serverless-logs-scoped.yml", sls_pol("""
- Effect: Allow
  Action: logs:*
  Resource: arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*
"""))

# ---------------- notaction-allow ----------------
C = "notaction-allow"
w(C, "positive", "notaction-iam-on-star.json", pol(A("iam:*", "*", notaction=True)))
w(C, "positive", "notaction-string-specific-resource.json", pol(A("s3:DeleteBucket", "arn:aws:s3:::orders-bucket", notaction=True), single=True))
w(C, "positive", "sam-notaction.yaml", sam_pol("""
- Effect: Allow
  NotAction:
    - iam:*
    - organizations:*
  Resource: '*'
"""))
w(C, "positive", "serverless-notaction.yml", sls_pol("""
- Effect: Allow
  NotAction: s3:DeleteObject
  Resource: arn:aws:s3:::orders-bucket/*
"""))
w(C, "negative", "deny-notaction.json", pol(A("s3:GetObject", "arn:aws:s3:::orders-bucket/*"),
    D(["iam:*", "sts:*"], "*", notaction=True, Condition={"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}})))
w(C, "negative", "plain-action.json", pol(A(["s3:GetObject"], "arn:aws:s3:::orders-bucket/*")))
w(C, "negative", "sam-deny-notaction.yaml", sam_pol("""
- Effect: Allow
  Action: sqs:SendMessage
  Resource: !GetAtt Queue.Arn
- Effect: Deny
  NotAction: sqs:SendMessage
  Resource: '*'
"""))

# ---------------- notresource-allow ----------------
C = "notresource-allow"
w(C, "positive", "notresource-allow.json", pol(A("s3:GetObject", "arn:aws:s3:::secret-bucket/*", notresource=True)))
w(C, "positive", "tfplan-notresource.json", tf_role_with_policy(A(["dynamodb:GetItem"], ["arn:aws:dynamodb:us-east-1:123456789012:table/admin"], notresource=True)))
w(C, "positive", "sam-notresource.yaml", sam_pol("""
- Effect: Allow
  Action: sns:Publish
  NotResource: !Ref AdminTopic
"""))
w(C, "negative", "deny-notresource.json", pol(A("s3:GetObject", "arn:aws:s3:::orders-bucket/*"),
    D("s3:*", ["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"], notresource=True)))
w(C, "negative", "allow-resource.json", pol(A("s3:GetObject", "arn:aws:s3:::orders-bucket/*")))

# ---------------- privilege-escalation ----------------
C = "privilege-escalation"
w(C, "positive", "passrole-one-role-create-invoke.json", pol(
    A("iam:PassRole", "arn:aws:iam::123456789012:role/lambda-exec"),
    A(["lambda:CreateFunction", "lambda:InvokeFunction"], "*")))
w(C, "positive", "create-policy-version-specific.json", pol(A("iam:CreatePolicyVersion", "arn:aws:iam::123456789012:policy/app-policy"), single=True))
w(C, "positive", "sam-passrole-runinstances.yaml", sam_pol("""
- Effect: Allow
  Action: iam:PassRole
  Resource: arn:aws:iam::123456789012:role/ec2-role
- Effect: Allow
  Action: ec2:RunInstances
  Resource: '*'
"""))
w(C, "positive", "tfplan-attach-role-policy.json", tf_role_with_policy(A("iam:AttachRolePolicy", "arn:aws:iam::123456789012:role/*")))
w(C, "positive", "serverless-update-function-code.yml", sls_pol("""
- Effect: Allow
  Action: lambda:UpdateFunctionCode
  Resource: arn:aws:lambda:us-east-1:123456789012:function:other
"""))
w(C, "positive", "iam-middle-wildcard.json", pol(A("iam:*Policy*", "*")))
w(C, "positive", "conditional-deny-not-subtracted.json", pol(A("iam:CreatePolicyVersion", "*"),
    D("iam:CreatePolicyVersion", "*", Condition={"StringNotEquals": {"aws:PrincipalTag/team": "platform"}})))
w(C, "negative", "passrole-create-without-invoke.json", pol(
    A("iam:PassRole", "arn:aws:iam::123456789012:role/lambda-exec"), A("lambda:CreateFunction", "*")))
w(C, "negative", "iam-read-only.json", pol(A(["iam:Get*", "iam:List*"], "*")))
w(C, "negative", "unconditional-deny.json", pol(A("iam:CreatePolicyVersion", "*"), D("iam:CreatePolicyVersion", "*")))
w(C, "negative", "create-invoke-without-passrole.json", pol(A(["lambda:CreateFunction", "lambda:InvokeFunction"], "*")))

# ---------------- passrole-wildcard ----------------
C = "passrole-wildcard"
w(C, "positive", "passrole-star.json", pol(A("iam:PassRole", "*")))
w(C, "positive", "pass-star-all-roles.json", pol(A("iam:Pass*", "arn:aws:iam::123456789012:role/*")))
w(C, "positive", "sam-mixed-case.yaml", sam_pol("""
- Effect: Allow
  Action: IAM:PassRole
  Resource: '*'
"""))
w(C, "positive", "tfplan-iam-star.json", tf_role_with_policy(A("iam:*", "*")))
w(C, "negative", "passrole-one-role.json", pol(A("iam:PassRole", "arn:aws:iam::123456789012:role/lambda-exec")))
w(C, "negative", "passrole-one-role-condition.json", pol(A("iam:PassRole", "arn:aws:iam::123456789012:role/ecs-task",
    Condition={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}})))
w(C, "negative", "iam-get-role-star.json", pol(A("iam:GetRole", "*")))

# ---------------- data-exfiltration ----------------
C = "data-exfiltration"
w(C, "positive", "s3-getobject-all-buckets.json", pol(A("s3:GetObject", "arn:aws:s3:::*")))
w(C, "positive", "sam-get-secret-value.yaml", sam_pol("""
- Effect: Allow
  Action: secretsmanager:GetSecretValue
  Resource: '*'
"""))
w(C, "positive", "serverless-ssm-by-path.yml", sls_pol("""
- Effect: Allow
  Action:
    - ssm:GetParametersByPath
  Resource: '*'
"""))
w(C, "positive", "tfplan-kms-decrypt.json", tf_role_with_policy(A("kms:Decrypt", "*")))
w(C, "positive", "mixed-case-getobject.json", pol(A("S3:GetObject", "*"), single=True))
w(C, "negative", "s3-getobject-one-bucket.json", pol(A("s3:GetObject", "arn:aws:s3:::orders-bucket/*")))
w(C, "negative", "secret-one-arn.json", pol(A("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/db-AbCdEf")))
w(C, "negative", "write-only-on-star.json", pol(A("s3:PutObject", "*")))
w(C, "negative", "denied-unconditionally.json", pol(A("s3:GetObject", "*"), D("s3:GetObject", "*")))

# ---------------- resource-exposure ----------------
C = "resource-exposure"
w(C, "positive", "put-bucket-policy.json", pol(A("s3:PutBucketPolicy", "arn:aws:s3:::orders-bucket")))
w(C, "positive", "sam-add-permission.yaml", sam_pol("""
- Effect: Allow
  Action: lambda:AddPermission
  Resource: !GetAtt OtherFn.Arn
"""))
w(C, "positive", "tfplan-kms-put-key-policy.json", tf_role_with_policy(A("kms:PutKeyPolicy", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")))
w(C, "negative", "get-bucket-policy.json", pol(A("s3:GetBucketPolicy", "*")))
w(C, "negative", "invoke-function.json", pol(A("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:other")))

# ---------------- credentials-exposure ----------------
C = "credentials-exposure"
w(C, "positive", "create-access-key.json", pol(A("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/ci")))
w(C, "positive", "assume-role-star.json", pol(A("sts:AssumeRole", "*")))
w(C, "positive", "sam-ecr-auth-token.yaml", sam_pol("""
- Effect: Allow
  Action: ecr:GetAuthorizationToken
  Resource: '*'
"""))
w(C, "negative", "assume-one-role.json", pol(A("sts:AssumeRole", "arn:aws:iam::123456789012:role/reader")))
w(C, "negative", "ecr-pull-one-repo.json", pol(A(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "arn:aws:ecr:us-east-1:123456789012:repository/app")))

# ---------------- infrastructure-modification ----------------
C = "infrastructure-modification"
w(C, "positive", "ec2-terminate-star.json", pol(A("ec2:TerminateInstances", "*")))
w(C, "positive", "tfplan-dynamodb-putitem-star.json", tf_role_with_policy(A("dynamodb:PutItem", "*")))
w(C, "positive", "s3-putobject-all-buckets.json", pol(A("s3:PutObject", "arn:aws:s3:::*/*")))
w(C, "negative", "putitem-one-table.json", pol(A("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/orders")))
w(C, "negative", "describe-star.json", pol(A(["ec2:DescribeInstances", "ec2:DescribeVpcs"], "*")))

# ---------------- public-invoke ----------------
C = "public-invoke"
w(C, "positive", "getpolicy-star.json", getpolicy(invoke("*", sid="public")))
w(C, "positive", "resource-policy-aws-star.json", pol(invoke({"AWS": "*"}, sid="anyone")))
w(C, "positive", "sam-permission-star.yaml", sam("Runtime: python3.12", extra="""
OrdersPublic:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !Ref OrdersFn
    Principal: '*'
"""))
w(C, "positive", "tfplan-permission-star.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "public", {
    "statement_id": "AllowPublic", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "*",
    "source_arn": None, "source_account": None, "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "org-restricted.json", pol(invoke("*", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})))
w(C, "negative", "source-account-restricted.json", getpolicy(invoke("*", {"StringEquals": {"aws:SourceAccount": "123456789012"}})))
w(C, "negative", "service-with-source-arn.json", getpolicy(invoke({"Service": "s3.amazonaws.com"},
    {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::orders-bucket"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}})))
w(C, "negative", "one-account.json", pol(invoke({"AWS": "arn:aws:iam::111122223333:root"})))

# ---------------- confused-deputy ----------------
C = "confused-deputy"
w(C, "positive", "s3-service-no-condition.json", getpolicy(invoke({"Service": "s3.amazonaws.com"})))
w(C, "positive", "sam-sns-permission.yaml", sam("Runtime: python3.12", extra="""
SnsInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !GetAtt OrdersFn.Arn
    Principal: sns.amazonaws.com
"""))
w(C, "positive", "tfplan-events-permission.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "events", {
    "statement_id": "AllowEvents", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "events.amazonaws.com",
    "source_arn": None, "source_account": None, "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "s3-service-with-conditions.json", getpolicy(invoke({"Service": "s3.amazonaws.com"},
    {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::orders-bucket"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}})))
w(C, "negative", "sam-source-account-only.yaml", sam("Runtime: python3.12", extra="""
S3Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !Ref OrdersFn
    Principal: s3.amazonaws.com
    SourceAccount: !Ref AWS::AccountId
"""))
w(C, "negative", "tfplan-source-arn.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "events", {
    "statement_id": "AllowEvents", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "events.amazonaws.com",
    "source_arn": "arn:aws:events:us-east-1:123456789012:rule/nightly", "source_account": None, "principal_org_id": None,
    "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "aws-account-principal.json", pol(invoke({"AWS": "arn:aws:iam::123456789012:role/caller"})))

# ---------------- cross-account-invoke ----------------
C = "cross-account-invoke"
w(C, "positive", "root-arn-other-account.json", pol(invoke({"AWS": "arn:aws:iam::111122223333:root"})))
w(C, "positive", "getpolicy-bare-account.json", getpolicy(invoke({"AWS": "111122223333"})))
w(C, "positive", "sam-permission-account.yaml", sam("Runtime: python3.12", extra="""
PartnerInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !Ref OrdersFn
    Principal: '111122223333'
"""))
w(C, "negative", "same-account.json", pol(invoke({"AWS": "arn:aws:iam::123456789012:root"})))
w(C, "negative", "sam-own-account.yaml", sam("Runtime: python3.12", extra="""
SelfInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !Ref OrdersFn
    Principal: !Ref AWS::AccountId
"""))
w(C, "negative", "service-principal.json", getpolicy(invoke({"Service": "s3.amazonaws.com"},
    {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::orders-bucket"}})))

# ---------------- function-url-no-auth / cors-wildcard ----------------
C = "function-url-no-auth"
w(C, "positive", "sam-url-none.yaml", sam("Runtime: python3.12\nFunctionUrlConfig:\n  AuthType: NONE"))
w(C, "positive", "cfn-lambda-url-none.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
  FnUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !GetAtt Fn.Arn
""")
w(C, "positive", "serverless-url-true.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    url: true
"""))
w(C, "positive", "tfplan-url-none.json", tfplan(tf_fn("orders"), res("aws_lambda_function_url", "orders", {
    "function_name": "orders", "authorization_type": "NONE", "cors": [], "qualifier": None})))
w(C, "negative", "sam-url-iam.yaml", sam("Runtime: python3.12\nFunctionUrlConfig:\n  AuthType: AWS_IAM"))
w(C, "negative", "serverless-url-aws-iam.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    url:
      authorizer: aws_iam
"""))
w(C, "negative", "tfplan-url-iam.json", tfplan(tf_fn("orders"), res("aws_lambda_function_url", "orders", {
    "function_name": "orders", "authorization_type": "AWS_IAM", "cors": [], "qualifier": None})))

C = "cors-wildcard"
w(C, "positive", "sam-cors-star.yaml", sam("""
Runtime: python3.12
FunctionUrlConfig:
  AuthType: AWS_IAM
  Cors:
    AllowOrigins:
      - '*'
"""))
w(C, "positive", "serverless-cors-true.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    url:
      authorizer: aws_iam
      cors: true
"""))
w(C, "positive", "tfplan-cors-star.json", tfplan(tf_fn("orders"), res("aws_lambda_function_url", "orders", {
    "function_name": "orders", "authorization_type": "AWS_IAM", "qualifier": None,
    "cors": [{"allow_origins": ["https://app.example.com", "*"], "allow_methods": ["GET"], "allow_credentials": False}]})))
w(C, "negative", "sam-cors-specific.yaml", sam("""
Runtime: python3.12
FunctionUrlConfig:
  AuthType: NONE
  Cors:
    AllowOrigins:
      - https://app.example.com
"""))
w(C, "negative", "serverless-cors-specific.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    url:
      cors:
        allowedOrigins:
          - https://app.example.com
"""))
w(C, "negative", "sam-url-no-cors.yaml", sam("Runtime: python3.12\nFunctionUrlConfig:\n  AuthType: NONE"))


C = "secret-in-env"
w(C, "positive", "sam-aws-access-key.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    TABLE_NAME: orders
    UPSTREAM_KEY: AKIA2E3XQWJ5ZK7P4M6N
"""))
w(C, "positive", "sam-globals-example-key-and-secret.yaml", sam("Runtime: python3.12", globals_="""
Environment:
  Variables:
    AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
    AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""))
w(C, "positive", "serverless-private-key.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  signer:
    handler: handler.main
    environment:
      SIGNING_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\\n-----END RSA PRIVATE KEY-----"
"""))
w(C, "positive", "serverless-db-password.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    DB_PASSWORD: hunter2
functions:
  api:
    handler: handler.main
"""))
w(C, "positive", "tfplan-github-token.json", tfplan(tf_fn("orders", environment=[{"variables": {
    "REPO": "acme/orders", "GH_TOKEN_VALUE": "ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"}}])))
w(C, "positive", "cfn-jwt.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
      Environment:
        Variables:
          SERVICE_AUTH: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c
""")
w(C, "negative", "sam-placeholders.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    DB_PASSWORD: changeme
    API_KEY: ''
    DB_SECRET: '{{resolve:secretsmanager:orders/db:SecretString:password}}'
    STRIPE_KEY: !Ref StripeKeyParam
    GITHUB_TOKEN: !Sub '{{resolve:ssm-secure:/orders/gh-token}}'
"""))
w(C, "negative", "serverless-references.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    DB_PASSWORD: ${ssm:/orders/db-password}
    API_TOKEN: ${env:API_TOKEN}
functions:
  api:
    handler: handler.main
    environment:
      SECRET_KEY: ${self:custom.secretKey}
"""))
w(C, "negative", "tfplan-names-and-arns.json", tfplan(tf_fn("orders", environment=[{"variables": {
    "DB_PASSWORD_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/db-AbCdEf",
    "TABLE_NAME": "orders", "LOG_LEVEL": "INFO", "TOKEN_TTL": "3600", "SECRET_NAME": "orders/db"}}])))

C = "deprecated-runtime"
w(C, "positive", "sam-python37.yaml", sam("Runtime: python3.7"))
w(C, "positive", "serverless-nodejs16.yml", sls("""
provider:
  name: aws
  runtime: nodejs16.x
functions:
  api:
    handler: handler.main
"""))
w(C, "positive", "tfplan-go1x.json", tfplan(tf_fn("orders", runtime="go1.x", handler="bootstrap")))
w(C, "positive", "sam-globals-python38.yaml", sam("CodeSigningConfigArn: arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0", globals_="Runtime: python3.8"))
w(C, "negative", "sam-python312.yaml", sam("Runtime: python3.12"))
w(C, "negative", "serverless-nodejs22.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
"""))
w(C, "negative", "tfplan-image.json", tfplan(tf_fn("orders", runtime=None, handler=None, package_type="Image",
    image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:" + "a" * 64)))
w(C, "negative", "cfn-provided-al2023.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: provided.al2023
      Handler: bootstrap
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        S3Bucket: artifacts
        S3Key: fn.zip
""")

C = "missing-dlq"
w(C, "positive", "sam-s3-event.yaml", sam("""
Runtime: python3.12
Events:
  Upload:
    Type: S3
    Properties:
      Bucket: !Ref Uploads
      Events: s3:ObjectCreated:*
""", extra="""
Uploads:
  Type: AWS::S3::Bucket
"""))
w(C, "positive", "serverless-sns-event.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  notify:
    handler: handler.main
    events:
      - sns: orders-topic
"""))
w(C, "positive", "sam-eventbridge-event.yaml", sam("""
Runtime: python3.12
Events:
  Nightly:
    Type: EventBridgeRule
    Properties:
      Pattern:
        source: [aws.ec2]
"""))
w(C, "positive", "cfn-s3-permission.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
  S3Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: s3.amazonaws.com
      SourceArn: arn:aws:s3:::uploads-bucket
      SourceAccount: !Ref AWS::AccountId
""")
w(C, "negative", "sam-s3-event-with-dlq.yaml", sam("""
Runtime: python3.12
DeadLetterQueue:
  Type: SQS
  TargetArn: !GetAtt Dlq.Arn
Events:
  Upload:
    Type: S3
    Properties:
      Bucket: !Ref Uploads
      Events: s3:ObjectCreated:*
""", extra="""
Uploads:
  Type: AWS::S3::Bucket
Dlq:
  Type: AWS::SQS::Queue
"""))
w(C, "negative", "serverless-sns-on-failure.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  notify:
    handler: handler.main
    destinations:
      onFailure: arn:aws:sqs:us-east-1:123456789012:notify-dlq
    events:
      - sns: orders-topic
"""))
w(C, "negative", "sam-api-only.yaml", sam("""
Runtime: python3.12
Events:
  Get:
    Type: Api
    Properties:
      Path: /orders
      Method: get
"""))
w(C, "negative", "sam-eventbridge-on-failure.yaml", sam("""
Runtime: python3.12
EventInvokeConfig:
  MaximumRetryAttempts: 1
  DestinationConfig:
    OnFailure:
      Type: SQS
      Destination: !GetAtt Dlq.Arn
Events:
  Nightly:
    Type: Schedule
    Properties:
      Schedule: rate(1 day)
""", extra="""
Dlq:
  Type: AWS::SQS::Queue
"""))

C = "missing-tracing"
w(C, "positive", "sam-no-tracing.yaml", sam("Runtime: python3.12"))
w(C, "positive", "sam-passthrough.yaml", sam("Runtime: python3.12\nTracing: PassThrough"))
w(C, "positive", "tfplan-passthrough.json", tfplan(tf_fn("orders", tracing_config=[{"mode": "PassThrough"}])))
w(C, "positive", "serverless-no-tracing.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
"""))
w(C, "negative", "sam-globals-active.yaml", sam("Runtime: python3.12", globals_="Tracing: Active"))
w(C, "negative", "serverless-provider-tracing.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
  tracing:
    lambda: true
functions:
  api:
    handler: handler.main
"""))
w(C, "negative", "tfplan-active.json", tfplan(tf_fn("orders")))

C = "missing-code-signing"
w(C, "positive", "sam-no-signing.yaml", sam("Runtime: python3.12"))
w(C, "positive", "tfplan-no-signing.json", tfplan(tf_fn("orders", code_signing_config_arn="")))
w(C, "positive", "cfn-zip-no-signing.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      PackageType: Zip
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        S3Bucket: artifacts
        S3Key: fn.zip
""")
w(C, "negative", "sam-signed.yaml", sam("Runtime: python3.12\nCodeSigningConfigArn: !Ref SigningConfig"))
w(C, "negative", "tfplan-signed.json", tfplan(tf_fn("orders")))
w(C, "negative", "sam-image.yaml", sam("PackageType: Image\nImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2"))

C = "unknown-action"
w(C, "positive", "s3-getobjekt.json", pol(A("s3:GetObjekt", "arn:aws:s3:::orders-bucket/*")))
w(C, "positive", "lamda-invoke.json", pol(A("lamda:InvokeFunction", "*"), single=True))
w(C, "positive", "sam-dynamodb-getitems.yaml", sam_pol("""
- Effect: Allow
  Action:
    - dynamodb:GetItems
  Resource: !GetAtt OrdersTable.Arn
"""))
w(C, "positive", "deny-typo.json", pol(A("s3:GetObject", "arn:aws:s3:::orders-bucket/*"), D("s3:DeleteObjekt", "*")))
w(C, "negative", "mixed-case-valid.json", pol(A(["S3:GetObject", "DynamoDB:getitem"], "arn:aws:s3:::orders-bucket/*")))
w(C, "negative", "valid-wildcards.json", pol(A(["s3:Get*", "iam:*Policy*", "ec2:Describe*"], "arn:aws:s3:::orders-bucket/*")))

# ---------- round 2: harder examiner cases ----------
def cfn_role(policies_yaml="", managed="", boundary="", extra=""):
    out = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  FnRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
    out += "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n"
    if managed:
        out += "      ManagedPolicyArns:\n" + ind(managed, 8) + "\n"
    if boundary:
        out += "      PermissionsBoundary: " + boundary + "\n"
    if policies_yaml:
        out += "      Policies:\n        - PolicyName: app\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n" + ind(policies_yaml, 14) + "\n"
    out += "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: !GetAtt FnRole.Arn\n      TracingConfig:\n        Mode: Active\n      Code:\n        ZipFile: 'def handler(e, c): return 1'\n"
    if extra:
        out += ind(extra, 2) + "\n"
    return out

C = "wildcard-admin"
w(C, "positive", "sam-managed-administratoraccess.yaml", sam("Runtime: python3.12\nPolicies:\n  - AdministratorAccess"))
w(C, "positive", "cfn-role-managed-admin-arn.yaml", cfn_role(managed="- !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"))
w(C, "positive", "star-on-arn-all.json", pol(A(["*"], "arn:aws:*:*:*:*")))
w(C, "positive", "narrower-deny-does-not-remove.json", pol(A("*", "*"), D("*", "arn:aws:s3:::audit-bucket/*")))
w(C, "positive", "tfplan-attach-admin.json", tfplan(
    res("aws_iam_role", "worker", {"name": "worker-role", "arn": "arn:aws:iam::123456789012:role/worker-role", "id": "worker-role",
                                   "assume_role_policy": TRUST, "inline_policy": [], "managed_policy_arns": []}),
    res("aws_iam_role_policy_attachment", "admin", {"role": "worker-role", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess", "id": "x"}),
    tf_fn()))
w(C, "negative", "sam-managed-readonly.yaml", sam("Runtime: python3.12\nPolicies:\n  - ReadOnlyAccess"))
w(C, "negative", "cfn-admin-cut-by-boundary.yaml", cfn_role(managed="- arn:aws:iam::aws:policy/AdministratorAccess", boundary="!Ref Boundary",
    extra="""
Boundary:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Action: [dynamodb:GetItem, dynamodb:PutItem]
          Resource: '*'
"""))

C = "service-wildcard"
w(C, "positive", "sam-managed-s3-full-access.yaml", sam("Runtime: python3.12\nPolicies:\n  - AmazonS3FullAccess"))
w(C, "positive", "partial-deny-keeps-service.json", pol(A("s3:*", "*"), D("s3:DeleteBucket", "*")))
w(C, "positive", "list-of-two-services.json", pol(A(["sqs:*", "sns:*"], "arn:aws:sqs:us-east-1:123456789012:q")))

C = "wildcard-action"
w(C, "positive", "question-mark-wildcard.json", pol(A("s3:GetObjec?", "*")))
w(C, "positive", "one-of-resources-unconstrained.json", pol(A("dynamodb:Get*", ["arn:aws:dynamodb:us-east-1:123456789012:table/orders", "*"])))
w(C, "positive", "all-tables-arn.json", pol(A("dynamodb:Batch*", "arn:aws:dynamodb:*:*:table/*")))
w(C, "positive", "notresource-is-unconstrained.json", pol(A("sqs:Send*", "arn:aws:sqs:us-east-1:123456789012:admin", notresource=True)))
w(C, "negative", "prefix-bucket-name.json", pol(A("s3:Get*", "arn:aws:s3:::orders-*/*")))
w(C, "negative", "cfn-sub-table-arn.yaml", cfn_role("""
- Effect: Allow
  Action: dynamodb:*
  Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
"""))

C = "notaction-allow"
w(C, "positive", "cfn-notaction-single-statement.yaml", cfn_role("""
- Effect: Allow
  NotAction: iam:*
  Resource: '*'
"""))

C = "privilege-escalation"
w(C, "positive", "split-across-policies.yaml", sam("""
Runtime: python3.12
Policies:
  - Statement:
      - Effect: Allow
        Action: iam:PassRole
        Resource: arn:aws:iam::123456789012:role/lambda-exec
  - Statement:
      - Effect: Allow
        Action: lambda:*
        Resource: '*'
"""))
w(C, "positive", "iam-put-wildcard.json", pol(A("iam:Put*", "arn:aws:iam::123456789012:role/app")))
w(C, "positive", "passrole-cloudformation.json", pol(A(["iam:PassRole", "cloudformation:CreateStack"], "*")))
w(C, "positive", "update-assume-role-policy-and-assume.json", pol(A(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], "arn:aws:iam::123456789012:role/admin")))
w(C, "negative", "passrole-denied.json", pol(A(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "*"), D("iam:PassRole", "*")))
w(C, "negative", "cfn-boundary-removes-passrole.yaml", cfn_role("""
- Effect: Allow
  Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
  Resource: '*'
""", boundary="!Ref Boundary", extra="""
Boundary:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Action: lambda:*
          Resource: '*'
"""))
w(C, "negative", "update-assume-role-policy-alone.json", pol(A("iam:UpdateAssumeRolePolicy", "arn:aws:iam::123456789012:role/app")))

C = "passrole-wildcard"
w(C, "positive", "any-account-roles.json", pol(A("iam:PassRole", "arn:aws:iam::*:role/*")))
w(C, "positive", "notresource-passrole.json", pol(A("iam:PassRole", "arn:aws:iam::123456789012:role/admin", notresource=True)))
w(C, "positive", "conditional-passrole-star.json", pol(A("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})))
w(C, "negative", "serverless-passrole-sub.yml", sls_pol("""
- Effect: Allow
  Action: iam:PassRole
  Resource: arn:aws:iam::${aws:accountId}:role/orders-${sls:stage}-exec
"""))

C = "data-exfiltration"
w(C, "positive", "ssm-get-parameter-star-pattern.json", pol(A("ssm:GetParameter*", "*")))
w(C, "positive", "s3-get-star.json", pol(A("s3:Get*", "*")))
w(C, "positive", "dynamodb-scan-all-tables.json", pol(A("dynamodb:Scan", "arn:aws:dynamodb:*:*:table/*")))
w(C, "positive", "notresource-getobject.json", pol(A("s3:GetObject", "arn:aws:s3:::public-assets/*", notresource=True)))
w(C, "negative", "kms-decrypt-one-key.json", pol(A("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")))
w(C, "negative", "sam-template-s3-read.yaml", sam("Runtime: python3.12\nPolicies:\n  - S3ReadPolicy:\n      BucketName: !Ref Bucket"))

C = "resource-exposure"
w(C, "positive", "lambda-star.json", pol(A("lambda:*", "arn:aws:lambda:us-east-1:123456789012:function:orders")))
w(C, "positive", "put-role-policy.json", pol(A("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/app")))
w(C, "positive", "secrets-put-resource-policy.json", pol(A(["secretsmanager:PutResourcePolicy", "sqs:AddPermission"], "*")))
w(C, "negative", "s3-put-object.json", pol(A("s3:PutObject", "arn:aws:s3:::orders-bucket/*")))

C = "credentials-exposure"
w(C, "positive", "assume-any-role-arn.json", pol(A("sts:AssumeRole", "arn:aws:iam::*:role/*")))
w(C, "positive", "federation-token.json", pol(A("sts:GetFederationToken", "arn:aws:sts::123456789012:federated-user/app")))
w(C, "negative", "caller-identity.json", pol(A("sts:GetCallerIdentity", "*")))

C = "infrastructure-modification"
w(C, "positive", "s3-delete-bucket-star.json", pol(A("s3:DeleteBucket", "*")))
w(C, "negative", "tagging-and-read.json", pol(A(["ec2:DescribeInstances", "s3:ListAllMyBuckets"], "*")))

C = "public-invoke"
w(C, "positive", "principal-aws-star-list.json", getpolicy(invoke({"AWS": ["*"]})))
w(C, "positive", "lambda-star-action.json", pol(invoke("*", action="lambda:*")))
w(C, "positive", "function-url-permission.json", getpolicy(invoke("*", {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}, action="lambda:InvokeFunctionUrl")))
w(C, "positive", "source-arn-star-value.json", pol(invoke("*", {"ArnLike": {"aws:SourceArn": "*"}})))
w(C, "positive", "serverless-resources-permission.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
resources:
  Resources:
    PublicInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        Action: lambda:InvokeFunction
        FunctionName: !GetAtt ApiLambdaFunction.Arn
        Principal: '*'
"""))
w(C, "negative", "not-an-invoke-action.json", pol(invoke("*", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, action="lambda:GetFunction"), invoke("*", action="lambda:GetFunctionConfiguration", sid="cfg")))
w(C, "negative", "tfplan-source-account.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "p", {
    "statement_id": "AllowFromAccount", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "*",
    "source_arn": None, "source_account": "123456789012", "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "deny-everyone.json", pol({"Sid": "deny", "Effect": "Deny", "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": FN_ARN},
    invoke({"AWS": "arn:aws:iam::123456789012:role/caller"})))

C = "confused-deputy"
w(C, "positive", "apigateway-no-source-arn.json", pol(invoke({"Service": "apigateway.amazonaws.com"})))
w(C, "positive", "service-list.json", getpolicy(invoke({"Service": ["s3.amazonaws.com", "sns.amazonaws.com"]})))
w(C, "negative", "tfplan-source-account.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "s3", {
    "statement_id": "AllowS3", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "s3.amazonaws.com",
    "source_arn": None, "source_account": "123456789012", "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))

C = "cross-account-invoke"
w(C, "positive", "assumed-role-other-account.json", pol(invoke({"AWS": "arn:aws:sts::111122223333:assumed-role/caller/session"})))
w(C, "positive", "tfplan-account-principal.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "partner", {
    "statement_id": "Partner", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "111122223333",
    "source_arn": None, "source_account": None, "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "qualified-arn-same-account.json", getpolicy({"Sid": "self", "Effect": "Allow", "Principal": {"AWS": "123456789012"},
    "Action": "lambda:InvokeFunction", "Resource": FN_ARN + ":prod"}))
w(C, "negative", "tfplan-same-account.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "self", {
    "statement_id": "Self", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "arn:aws:iam::123456789012:role/caller",
    "source_arn": None, "source_account": None, "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))

C = "function-url-no-auth"
w(C, "positive", "serverless-url-cors-only.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    url:
      cors: true
"""))
w(C, "positive", "cdk-json-url.json", json.dumps({"Resources": {
    "FnServiceRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": json.loads(TRUST)}},
    "Fn9270CBC0": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs22.x", "Handler": "index.handler",
        "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]}, "Code": {"ZipFile": "exports.handler=async()=>1"}}},
    "FnFunctionUrl": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE", "TargetFunctionArn": {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]}}}}}, indent=2))

C = "cors-wildcard"
w(C, "positive", "sam-cors-star-among-others.yaml", sam("""
Runtime: python3.12
FunctionUrlConfig:
  AuthType: NONE
  Cors:
    AllowOrigins: ['https://app.example.com', '*']
    AllowCredentials: false
"""))
w(C, "positive", "serverless-cors-allowed-origins-star.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    url:
      authorizer: aws_iam
      cors:
        allowedOrigins: ['*']
"""))
w(C, "negative", "cfn-url-subdomain-pattern.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
  FnUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: !GetAtt Fn.Arn
      Cors:
        AllowOrigins:
          - https://app.example.com
          - https://admin.example.com
""")
w(C, "negative", "tfplan-specific-origin.json", tfplan(tf_fn("orders"), res("aws_lambda_function_url", "orders", {
    "function_name": "orders", "authorization_type": "AWS_IAM", "qualifier": None,
    "cors": [{"allow_origins": ["https://app.example.com"], "allow_methods": ["*"], "allow_headers": ["*"], "allow_credentials": True}]})))

C = "secret-in-env"
w(C, "positive", "tfplan-slack-stripe-google.json", tfplan(tf_fn("orders", environment=[{"variables": {
    "SLACK_HOOK_AUTH": "xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "PAYMENTS": "sk_live_51HxQ2kLmNoPqRsTuVwXyZ0a1",
    "MAPS": "AIzaSyD3k9x7Q2w5E8r1T4y6U0i2O9p3A5s7D1f"}}])))
w(C, "positive", "sam-url-with-password.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    DATABASE_URL: postgres://orders:Zr8vQp2LmX4t@db.internal:5432/orders
"""))
w(C, "positive", "cfn-lowercase-name-password.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
      Environment:
        Variables:
          db_password: 'Tr0ub4dor&3xyz'
          api_key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0
""")
w(C, "negative", "serverless-more-placeholders.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    environment:
      DB_PASSWORD: '<your-password>'
      API_TOKEN: xxx
      SECRET_KEY: dummy
      AUTH_TOKEN_URL: https://auth.example.com/oauth/token
      PASSWORD_PARAMETER: /orders/db/password
      PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----"
"""))

C = "deprecated-runtime"
w(C, "positive", "cfn-nodejs18.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs18.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'exports.handler = async () => 1'
""")
w(C, "positive", "sam-python39.yaml", sam("Runtime: python3.9"))
w(C, "positive", "tfplan-java8.json", tfplan(tf_fn("orders", runtime="java8", handler="App::handle")))
w(C, "positive", "serverless-dotnet6.yml", sls("""
provider:
  name: aws
  runtime: dotnet6
functions:
  api:
    handler: Orders::Orders.Function::Handler
"""))
w(C, "negative", "sam-python313-java21.yaml", sam("Runtime: python3.13", extra="""
JavaFn:
  Type: AWS::Serverless::Function
  Properties:
    Runtime: java21
    Handler: app.App::handle
    CodeUri: build/
"""))

C = "missing-dlq"
w(C, "positive", "sam-on-success-only.yaml", sam("""
Runtime: python3.12
EventInvokeConfig:
  DestinationConfig:
    OnSuccess:
      Type: SQS
      Destination: !GetAtt Done.Arn
Events:
  Upload:
    Type: SNS
    Properties:
      Topic: !Ref Topic
""", extra="""
Done:
  Type: AWS::SQS::Queue
Topic:
  Type: AWS::SNS::Topic
"""))
w(C, "positive", "tfplan-s3-permission.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "s3", {
    "statement_id": "AllowS3", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "s3.amazonaws.com",
    "source_arn": "arn:aws:s3:::uploads", "source_account": "123456789012", "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "tfplan-s3-permission-with-dlq.json", tfplan(tf_fn("orders", dead_letter_config=[{"target_arn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq"}]),
    res("aws_lambda_permission", "s3", {
    "statement_id": "AllowS3", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "s3.amazonaws.com",
    "source_arn": "arn:aws:s3:::uploads", "source_account": "123456789012", "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))
w(C, "negative", "sam-sqs-event.yaml", sam("""
Runtime: python3.12
Events:
  Jobs:
    Type: SQS
    Properties:
      Queue: !GetAtt Jobs.Arn
""", extra="""
Jobs:
  Type: AWS::SQS::Queue
"""))
w(C, "negative", "serverless-s3-on-error.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  thumbs:
    handler: handler.main
    onError: arn:aws:sns:us-east-1:123456789012:thumbs-failed
    events:
      - s3: uploads-bucket
"""))

C = "missing-tracing"
w(C, "positive", "sam-function-overrides-globals.yaml", sam("Runtime: python3.12\nTracing: PassThrough", globals_="Tracing: Active"))
w(C, "positive", "cfn-no-tracing-config.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
""")
w(C, "negative", "cfn-tracing-active.yaml", cfn_role("""
- Effect: Allow
  Action: s3:GetObject
  Resource: arn:aws:s3:::orders-bucket/*
"""))

C = "missing-code-signing"
w(C, "positive", "serverless-function.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
"""))
w(C, "negative", "cfn-signed.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      CodeSigningConfigArn: !GetAtt SigningConfig.CodeSigningConfigArn
      Code:
        S3Bucket: artifacts
        S3Key: fn.zip
""")

C = "unknown-action"
w(C, "positive", "lowercase-typo.json", pol(A("s3:getobjekt", "*")))
w(C, "positive", "wildcard-matching-nothing.json", pol(A("ec2:Describe*Foo", "*")))
w(C, "positive", "unknown-service.json", pol(A("s4:GetObject", "*")))
w(C, "positive", "typo-in-notaction.json", pol(A(["iam:*", "organizatons:*"], "*", notaction=True)))
w(C, "negative", "newer-lambda-actions.json", pol(A(["lambda:InvokeFunctionUrl", "lambda:GetFunctionUrlConfig", "s3:PutObjectAcl"], "arn:aws:s3:::orders-bucket/*")))
w(C, "negative", "resource-policy-actions.json", getpolicy(invoke({"Service": "s3.amazonaws.com"},
    {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::orders-bucket"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}})))

# ---------- round 3: after first review ----------
C = "resource-exposure"
w(C, "negative", "read-named-permissions-actions.json", pol(A(["billing:GetResourcePolicy", "secretsmanager:ValidateResourcePolicy",
    "fsx:GetResourcePolicy", "ssm-sap:GetResourcePermission"], "*")))
w(C, "negative", "sam-managed-readonly.yaml", sam("Runtime: python3.12\nPolicies:\n  - ReadOnlyAccess"))
C = "unknown-action"
w(C, "negative", "sam-managed-readonly.yaml", sam("Runtime: python3.12\nPolicies:\n  - ReadOnlyAccess"))
w(C, "negative", "cfn-managed-readonly-arn.yaml", cfn_role(managed="- arn:aws:iam::aws:policy/ReadOnlyAccess"))
C = "infrastructure-modification"
w(C, "negative", "read-named-permissions-actions.json", pol(A(["billing:GetResourcePolicy", "backup:SearchRecoveryPoint", "glue:GetStage"], "*")))
for C in ("missing-tracing", "missing-code-signing"):
    w(C, "negative", "getpolicy-only.json", getpolicy(invoke({"Service": "s3.amazonaws.com"},
        {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::orders-bucket"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}})))
    w(C, "negative", "cfn-permission-on-outside-function.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
  ExternalInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:external-processor
      Principal: sns.amazonaws.com
      SourceArn: !Ref Topic
""")
w("missing-dlq", "negative", "cfn-permission-on-outside-function.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
  ExternalInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:external-processor
      Principal: sns.amazonaws.com
      SourceArn: !Ref Topic
""")
w("deprecated-runtime", "positive", "serverless-nodejs20-past-2026-04-30.yml", sls("""
provider:
  name: aws
  runtime: nodejs20.x
functions:
  api:
    handler: handler.main
"""))
w("deprecated-runtime", "positive", "tfplan-python311-past-2026-06-30.json", tfplan(tf_fn("orders", runtime="python3.11")))
w("deprecated-runtime", "negative", "tfplan-nodejs24-ruby34.json", tfplan(tf_fn("orders", runtime="nodejs24.x"), tf_fn("billing", runtime="ruby3.4")))

# ---------- round 4: loader formats and semantics ----------
def authz(role_policies, managed=None):
    return json.dumps({"RoleDetailList": [{"Path": "/", "RoleName": "ops-role", "RoleId": "AROAEXAMPLE000000001",
        "Arn": "arn:aws:iam::123456789012:role/ops-role", "CreateDate": "2024-01-01T00:00:00Z",
        "AssumeRolePolicyDocument": json.loads(TRUST), "InstanceProfileList": [],
        "RolePolicyList": [{"PolicyName": "ops", "PolicyDocument": {"Version": "2012-10-17", "Statement": role_policies}}] if role_policies else [],
        "AttachedManagedPolicies": [{"PolicyName": m.split("/")[-1], "PolicyArn": m} for m in (managed or [])], "Tags": []}],
        "UserDetailList": [], "GroupDetailList": [], "Policies": []}, indent=2)

w("wildcard-admin", "positive", "authorization-details-admin.json", authz([], ["arn:aws:iam::aws:policy/AdministratorAccess"]))
w("wildcard-admin", "negative", "authorization-details-scoped.json", authz([A("s3:GetObject", "arn:aws:s3:::orders-bucket/*")]))
w("passrole-wildcard", "positive", "authorization-details-inline.json", authz([A(["iam:PassRole", "iam:GetRole"], "*")]))

w("service-wildcard", "positive", "sam-policies-single-string.yaml", sam("Runtime: python3.12\nPolicies: AmazonDynamoDBFullAccess"))
w("data-exfiltration", "positive", "cfn-sub-partition-all-buckets.yaml", cfn_role("""
- Effect: Allow
  Action: s3:GetObject
  Resource: !Sub 'arn:${AWS::Partition}:s3:::*'
"""))
w("data-exfiltration", "negative", "cfn-join-one-bucket.yaml", cfn_role("""
- Effect: Allow
  Action: s3:GetObject
  Resource: !Join ['', ['arn:aws:s3:::', !Ref Bucket, '/*']]
"""))
w("data-exfiltration", "positive", "cfn-statement-single-mapping.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: '*'
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code:
        ZipFile: 'def handler(e, c): return 1'
""")
w("data-exfiltration", "positive", "aws-cn-partition.json", pol(A("kms:Decrypt", "arn:aws-cn:kms:*:*:key/*")))
w("credentials-exposure", "positive", "serverless-legacy-iam-role-statements.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
  iamRoleStatements:
    - Effect: Allow
      Action: sts:AssumeRole
      Resource: '*'
functions:
  api:
    handler: handler.main
"""))
w("privilege-escalation", "positive", "serverless-per-function-plugin.yml", sls("""
plugins:
  - serverless-iam-roles-per-function
provider:
  name: aws
  runtime: nodejs22.x
functions:
  deployer:
    handler: handler.main
    iamRoleStatements:
      - Effect: Allow
        Action: [iam:PassRole, lambda:CreateFunction, lambda:CreateEventSourceMapping]
        Resource: '*'
"""))
w("privilege-escalation", "positive", "tfplan-inline-policy-block.json", tfplan(
    res("aws_iam_role", "worker", {"name": "worker-role", "arn": "arn:aws:iam::123456789012:role/worker-role", "id": "worker-role",
        "assume_role_policy": TRUST, "managed_policy_arns": [],
        "inline_policy": [{"name": "glue", "policy": json.dumps({"Version": "2012-10-17", "Statement": [A(["iam:PassRole", "glue:CreateDevEndpoint"], "*")]})}]}),
    tf_fn()))
w("privilege-escalation", "positive", "deny-notresource-not-subtracted.json", pol(A("lambda:UpdateFunctionCode", "*"),
    D("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:123456789012:function:prod-*", notresource=True)))
w("privilege-escalation", "negative", "deny-wildcard-mixed-case.json", pol(A(["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], "*"),
    D("LAMBDA:Update*", "*")))
w("privilege-escalation", "negative", "deny-without-resource.json", pol(A("iam:AttachRolePolicy", "arn:aws:iam::123456789012:role/app"),
    {"Effect": "Deny", "Action": "iam:AttachRolePolicy"}))

w("public-invoke", "positive", "account-wildcard-principal.json", pol(invoke({"AWS": "arn:aws:iam::*:root"})))
w("public-invoke", "negative", "lowercase-condition-key.json", getpolicy(invoke("*", {"StringEquals": {"aws:principalorgid": "o-a1b2c3d4e5"}})))
w("public-invoke", "negative", "principal-org-paths.json", pol(invoke({"AWS": "*"}, {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}})))
w("cross-account-invoke", "positive", "principal-list-own-and-other.json", getpolicy(invoke({"AWS": ["arn:aws:iam::123456789012:root", "arn:aws:iam::444455556666:role/partner"]})))
w("confused-deputy", "negative", "sam-permission-getatt-source-arn.yaml", sam("Runtime: python3.12", extra="""
Bucket:
  Type: AWS::S3::Bucket
BucketInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !GetAtt OrdersFn.Arn
    Principal: s3.amazonaws.com
    SourceArn: !GetAtt Bucket.Arn
"""))

w("secret-in-env", "positive", "tfplan-asia-and-openssh-key.json", tfplan(tf_fn("orders", environment=[{"variables": {
    "TEMP_CREDS": "ASIAY34FZKBOKMUTVV7A",
    "DEPLOY_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----"}}])))
w("secret-in-env", "negative", "tfplan-template-placeholders.json", tfplan(tf_fn("orders", environment=[{"variables": {
    "DB_PASSWORD": "${DB_PASSWORD}", "PORT": "8080", "API_KEY_HEADER": "x-api-key", "TOKEN_ISSUER": "https://auth.example.com/"}}])))

w("deprecated-runtime", "negative", "serverless-function-overrides-old-provider.yml", sls("""
provider:
  name: aws
  runtime: nodejs16.x
functions:
  api:
    handler: handler.main
    runtime: nodejs22.x
"""))
w("deprecated-runtime", "positive", "serverless-function-runtime-old.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    runtime: python3.8
"""))

w("missing-dlq", "negative", "serverless-destination-object.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  thumbs:
    handler: handler.main
    destinations:
      onFailure:
        type: sqs
        arn: arn:aws:sqs:us-east-1:123456789012:thumbs-dlq
    events:
      - s3:
          bucket: uploads-bucket
          event: s3:ObjectCreated:*
"""))
w("missing-dlq", "negative", "sam-globals-dlq.yaml", sam("""
Runtime: python3.12
Events:
  Topic:
    Type: SNS
    Properties:
      Topic: arn:aws:sns:us-east-1:123456789012:orders
""", globals_="""
DeadLetterQueue:
  Type: SQS
  TargetArn: arn:aws:sqs:us-east-1:123456789012:orders-dlq
"""))
w("missing-dlq", "negative", "tfplan-invoke-config-on-failure.json", tfplan(tf_fn("orders"),
    res("aws_lambda_permission", "s3", {"statement_id": "AllowS3", "action": "lambda:InvokeFunction", "function_name": "orders",
        "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::uploads", "source_account": "123456789012",
        "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""}),
    res("aws_lambda_function_event_invoke_config", "orders", {"function_name": "orders", "qualifier": "",
        "maximum_retry_attempts": 1, "destination_config": [{"on_failure": [{"destination": "arn:aws:sqs:us-east-1:123456789012:orders-dlq"}], "on_success": []}]})))
w("missing-tracing", "positive", "tfplan-no-tracing-block.json", tfplan(tf_fn("orders", tracing_config=[])))
w("missing-tracing", "positive", "cfn-tracing-passthrough.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      TracingConfig:
        Mode: PassThrough
      Code:
        ZipFile: 'def handler(e, c): return 1'
""")
w("missing-code-signing", "negative", "sam-globals-signing.yaml", sam("Runtime: python3.12", globals_="CodeSigningConfigArn: arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0"))

w("unknown-action", "positive", "resource-policy-typo.json", getpolicy(invoke({"Service": "s3.amazonaws.com"},
    {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::orders-bucket"}}, action="lambda:InvokeFuntion")))
w("unknown-action", "positive", "serverless-typo.yml", sls_pol("""
- Effect: Allow
  Action: dynamodb:PutItm
  Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
"""))
w("unknown-action", "positive", "tfplan-typo.json", tf_role_with_policy(A("sqs:SendMesage", "arn:aws:sqs:us-east-1:123456789012:q")))
w("secret-in-env", "positive", "sam-token-in-url-query.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    WEBHOOK_TOKEN: https://hooks.example.com/in?token=9c1f0e8d7b6a5f4e3d2c
"""))
w("secret-in-env", "negative", "sam-plain-urls-under-credential-names.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    TOKEN_ISSUER: https://auth.example.com/
    JWT_SECRET_ROTATION_DOCS: https://wiki.example.com/security/rotation
"""))

# ---------- round 5 ----------
w("secret-in-env", "negative", "sam-function-overrides-globals-secret.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    DB_PASSWORD: '{{resolve:secretsmanager:orders/db:SecretString:password}}'
""", globals_="""
Environment:
  Variables:
    DB_PASSWORD: Gl0balsPassw0rd
"""))
w("function-url-no-auth", "positive", "tfplan-child-module.json", json.dumps({"format_version": "1.2", "terraform_version": "1.7.5",
    "planned_values": {"root_module": {"child_modules": [{"address": "module.api", "resources": [
        dict(tf_fn("api"), address="module.api.aws_lambda_function.api"),
        dict(res("aws_lambda_function_url", "api", {"function_name": "api", "authorization_type": "NONE", "cors": [], "qualifier": None}),
             address="module.api.aws_lambda_function_url.api")]}]}},
    "configuration": {"root_module": {}}}, indent=2))
w("public-invoke", "positive", "getpolicy-object-form.json", json.dumps({"Policy": {"Version": "2012-10-17", "Id": "default",
    "Statement": [invoke("*")]}, "RevisionId": "4f2a1c9e-0000-4000-8000-000000000002"}, indent=2))
w("public-invoke", "positive", "single-statement-object.json", json.dumps({"Version": "2012-10-17", "Statement": invoke("*")}, indent=2))
w("public-invoke", "positive", "bare-statement.json", json.dumps(invoke({"AWS": "*"}), indent=2))
w("cross-account-invoke", "positive", "other-account-with-org-condition.json", pol(invoke({"AWS": "arn:aws:iam::111122223333:root"},
    {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})))
w("secret-in-env", "positive", "serverless-short-credential-names.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    environment:
      DB_PASS: hunter2
      signingPassphrase: correct-horse-battery
      SMTP_CREDS: mailer:Qm9vU2VjcmV0
"""))
w("secret-in-env", "negative", "serverless-pass-lookalike-names.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    environment:
      BYPASS_CACHE: enabled
      PASSTHROUGH_MODE: strict
      PASS_COUNT: '3'
      COMPASS_REGION: eu-west-1
"""))

# ---------- round 6 ----------
CFN_FN = """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
"""
w("public-invoke", "negative", "cfn-permission-principal-org-id.yaml", CFN_FN + """
  OrgInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: '*'
      PrincipalOrgID: o-a1b2c3d4e5
""")
w("public-invoke", "positive", "cfn-url-permission-none.yaml", CFN_FN + """
  FnUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !GetAtt Fn.Arn
  FnUrlPublic:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunctionUrl
      FunctionName: !GetAtt Fn.Arn
      Principal: '*'
      FunctionUrlAuthType: NONE
""")
w("public-invoke", "negative", "tfplan-principal-org-id.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "org", {
    "statement_id": "AllowOrg", "action": "lambda:InvokeFunction", "function_name": "orders", "principal": "*",
    "source_arn": None, "source_account": None, "principal_org_id": "o-a1b2c3d4e5", "function_url_auth_type": None, "qualifier": ""})))
w("confused-deputy", "negative", "cfn-events-source-arn.yaml", CFN_FN + """
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
  RuleInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: events.amazonaws.com
      SourceArn: !GetAtt Rule.Arn
""")
w("missing-dlq", "negative", "serverless-http-only.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    events:
      - http:
          path: orders
          method: get
"""))
w("missing-dlq", "positive", "serverless-schedule.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  nightly:
    handler: handler.main
    events:
      - schedule: rate(1 day)
"""))
w("missing-dlq", "positive", "sam-sqs-and-s3-events.yaml", sam("""
Runtime: python3.12
Events:
  Jobs:
    Type: SQS
    Properties:
      Queue: arn:aws:sqs:us-east-1:123456789012:jobs
  Upload:
    Type: S3
    Properties:
      Bucket: !Ref Uploads
      Events: s3:ObjectCreated:*
""", extra="""
Uploads:
  Type: AWS::S3::Bucket
"""))
w("missing-dlq", "positive", "tfplan-sns-permission-by-arn.json", tfplan(tf_fn("orders"), res("aws_lambda_permission", "sns", {
    "statement_id": "AllowSns", "action": "lambda:InvokeFunction", "function_name": "arn:aws:lambda:us-east-1:123456789012:function:orders",
    "principal": "sns.amazonaws.com", "source_arn": "arn:aws:sns:us-east-1:123456789012:orders", "source_account": None,
    "principal_org_id": None, "function_url_auth_type": None, "qualifier": ""})))

# ---------- round 7: Deny statements in function resource policies ----------
def deny_invoke(cond=None, action="lambda:InvokeFunction", sid="deny"):
    s = {"Sid": sid, "Effect": "Deny", "Principal": "*", "Action": action, "Resource": FN_ARN}
    if cond: s["Condition"] = cond
    return s
w("public-invoke", "negative", "unconditional-deny-everyone.json", getpolicy(invoke("*"), deny_invoke()))
w("public-invoke", "negative", "deny-outside-org.json", pol(invoke("*"), deny_invoke({"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})))
w("public-invoke", "positive", "deny-one-account-only.json", pol(invoke("*"), deny_invoke({"StringEquals": {"aws:SourceAccount": "999999999999"}})))
w("public-invoke", "positive", "deny-covers-other-action-only.json", pol(invoke("*", action=["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]),
    deny_invoke(action="lambda:InvokeFunctionUrl")))
w("confused-deputy", "negative", "deny-other-source-accounts.json", getpolicy(invoke({"Service": "sns.amazonaws.com"}),
    deny_invoke({"StringNotEquals": {"aws:SourceAccount": "123456789012"}})))
w("confused-deputy", "positive", "conditional-deny-on-other-key.json", getpolicy(invoke({"Service": "sns.amazonaws.com"}),
    deny_invoke({"Bool": {"aws:SecureTransport": "false"}})))
w("cross-account-invoke", "negative", "unconditional-deny-everyone.json", pol(invoke({"AWS": "arn:aws:iam::111122223333:root"}), deny_invoke()))

# ---------- round 8 ----------
w("wildcard-admin", "negative", "deny-notaction-leaves-one-action.json", pol(A("*", "*"), D("s3:GetObject", "*", notaction=True)))
w("privilege-escalation", "negative", "deny-notaction-keeps-only-reads.json", pol(A(["iam:*", "lambda:*"], "*"),
    D(["iam:Get*", "iam:List*", "lambda:Get*", "lambda:List*"], "*", notaction=True)))
w("data-exfiltration", "negative", "deny-notresource-inverse.json", pol(A("s3:GetObject", "*"),
    D("s3:GetObject", "arn:aws:s3:::orders-bucket/*", notresource=True)))
w("wildcard-action", "negative", "deny-notresource-confines.json", pol(A("s3:Get*", "*"),
    D("s3:*", ["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"], notresource=True)))
w("wildcard-action", "positive", "deny-notresource-star-not-confining.json", pol(A("s3:Get*", "*"), D("s3:*", "*", notresource=True)))
w("privilege-escalation", "positive", "deny-notresource-still-grants.json", pol(A("iam:CreatePolicyVersion", "*"),
    D("iam:*", "arn:aws:iam::123456789012:policy/app-*", notresource=True)))
exec(open("/tmp/ccgen/cases10.py").read())

# ---------- round 9: secrets inside expressions ----------
SAM_COND = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nConditions:\n  IsProd: !Equals [!Ref 'AWS::AccountId', '123456789012']\n"
w("secret-in-env", "positive", "sam-sub-url-password.yaml", sam("""
Runtime: python3.12
Environment:
  Variables:
    DATABASE_URL: !Sub 'postgres://admin:Xq7Lm2Pz9Rt4@${Db.Endpoint.Address}:5432/app'
"""))
w("secret-in-env", "positive", "sam-if-literal-keys.yaml", SAM_COND + sam("""
Runtime: python3.12
Environment:
  Variables:
    PAYMENTS_KEY: !If [IsProd, 'sk_live_51HxQ2kLmNoPqRsTuVwXyZ0a9', 'sk_test_51HxQ2kLmNoPqRsTuVwXyZ0a8']
""").split("\n", 2)[2])
w("secret-in-env", "positive", "cfn-join-github-token.yaml", """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn-role
      Code:
        ZipFile: 'def handler(e, c): return 1'
      Environment:
        Variables:
          REPO_AUTH: !Join ['', ['ghp_Z9yX8wV7uT6sR5qP4oN3', 'mL2kJ1iH0gF9eD8cB7aQ']]
""")
w("secret-in-env", "positive", "serverless-url-password-with-variable-host.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    environment:
      DATABASE_URL: postgres://admin:Vb5Nc8Xz1Lk3@${self:custom.dbHost}:5432/app
"""))
w("secret-in-env", "negative", "sam-expressions-without-secrets.yaml", SAM_COND + sam("""
Runtime: python3.12
Environment:
  Variables:
    DB_PASSWORD: !Sub '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}'
    DATABASE_URL: !Sub 'postgres://app@${Db.Endpoint.Address}:5432/app'
    API_TOKEN: !If [IsProd, !Ref ProdToken, !Ref DevToken]
    PASSWORD: !Sub '${DbPassword}'
    SECRET_PREFIX: !Join ['-', [!Ref 'AWS::StackName', secret]]
""").split("\n", 2)[2])
w("secret-in-env", "negative", "serverless-url-password-variable.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
functions:
  api:
    handler: handler.main
    environment:
      DATABASE_URL: postgres://${self:custom.dbUser}:${ssm:/orders/db-password}@db.internal:5432/app
      API_TOKEN: ${ssm:/orders/api-token}
"""))
exec(open("/tmp/ccgen/cases11.py").read())

# ---------- round 10 ----------
w("wildcard-admin", "positive", "serverless-managed-admin.yml", sls("""
provider:
  name: aws
  runtime: nodejs22.x
  iam:
    role:
      managedPolicies:
        - arn:aws:iam::aws:policy/AdministratorAccess
functions:
  api:
    handler: handler.main
"""))
w("wildcard-admin", "positive", "tfplan-role-managed-policy-arns.json", tfplan(
    res("aws_iam_role", "worker", {"name": "worker-role", "arn": "arn:aws:iam::123456789012:role/worker-role", "id": "worker-role",
        "assume_role_policy": TRUST, "inline_policy": [], "managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}),
    tf_fn()))
w("passrole-wildcard", "positive", "middle-wildcard-role-actions.json", pol(A("iam:*Role", "*")))
w("unknown-action", "positive", "not-service-colon-action.json", pol(A(["GetObject", "s3:GetObject"], "arn:aws:s3:::orders-bucket/*")))
w("wildcard-admin", "negative", "notaction-on-one-bucket.json", pol(A("s3:DeleteBucket", ["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"], notaction=True)))
exec(open("/tmp/ccgen/cases12.py").read())

# ---------- round 11: CDK JSON and separate IAM resources ----------
def cdk(statement_resource):
    return json.dumps({"Resources": {
        "FnServiceRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": json.loads(TRUST)}},
        "FnServiceRoleDefaultPolicy": {"Type": "AWS::IAM::Policy", "Properties": {
            "PolicyName": "FnServiceRoleDefaultPolicy", "Roles": [{"Ref": "FnServiceRole"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject*", "s3:List*"],
                "Resource": statement_resource}]}}},
        "Fn9270CBC0": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs22.x", "Handler": "index.handler",
            "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]}, "Code": {"ZipFile": "exports.handler=async()=>1"}},
            "DependsOn": ["FnServiceRoleDefaultPolicy", "FnServiceRole"]}}}, indent=2)
w("data-exfiltration", "positive", "cdk-join-partition-all-buckets.json", cdk(
    {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::*"]]}))
w("data-exfiltration", "negative", "cdk-join-one-bucket.json", cdk(
    [{"Fn::GetAtt": ["Bucket83908E77", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket83908E77", "Arn"]}, "/*"]]}]))
w("resource-exposure", "positive", "cfn-managed-policy-attached-by-roles.yaml", cfn_role(extra="""
Exposure:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    Roles: [!Ref FnRole]
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Action: s3:PutBucketAcl
          Resource: !Sub 'arn:${AWS::Partition}:s3:::${UploadsBucket}'
"""))
w("cors-wildcard", "positive", "sam-allow-origins-string.yaml", sam("""
Runtime: python3.12
FunctionUrlConfig:
  AuthType: AWS_IAM
  Cors:
    AllowOrigins: '*'
"""))
