"""Does a JSON value have the shape an OpenAPI 3.0 schema documents? (No Frappe: pure tests use it.)

Covers what this app's descriptions use: $ref, type, nullable, enum, required, properties,
additionalProperties: false, items, minItems/maxItems. A property the schema does not name is a
problem, so an answer cannot grow a field (an identity, say) without the description saying so.
"""

TYPES = {
	"object": dict,
	"array": list,
	"string": str,
	"integer": int,
	"number": (int, float),
	"boolean": bool,
}


def problems(value, schema: dict, document: dict, at: str = "$") -> list[str]:
	schema = resolve(schema, document)
	if value is None:
		return [] if schema.get("nullable") else [f"{at}: null is not allowed"]
	expected = schema.get("type")
	if expected and not matches_type(value, expected):
		return [f"{at}: expected {expected}, got {type(value).__name__}"]
	found = []
	if "enum" in schema and value not in schema["enum"]:
		found.append(f"{at}: {value!r} is not one of {schema['enum']}")
	if isinstance(value, dict):
		found += object_problems(value, schema, document, at)
	if isinstance(value, list):
		if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
			found.append(f"{at}: {len(value)} items")
		for index, item in enumerate(value):
			found += problems(item, schema.get("items", {}), document, f"{at}[{index}]")
	return found


def object_problems(value: dict, schema: dict, document: dict, at: str) -> list[str]:
	properties = schema.get("properties", {})
	found = [f"{at}: {name} is missing" for name in schema.get("required", []) if name not in value]
	for name, item in value.items():
		if name in properties:
			found += problems(item, properties[name], document, f"{at}.{name}")
		elif schema.get("additionalProperties") is False:
			found.append(f"{at}: {name} is not documented")
	return found


def matches_type(value, expected: str) -> bool:
	if isinstance(value, bool) and expected != "boolean":
		return False
	return isinstance(value, TYPES[expected])


def resolve(schema: dict, document: dict) -> dict:
	while "$ref" in schema:
		node = document
		for part in schema["$ref"].lstrip("#/").split("/"):
			node = node[part]
		schema = node
	return schema


def response_schema(document: dict, path: str, method: str, status: int) -> dict:
	"""The documented body of one response of one operation."""
	response = document["paths"][path][method.lower()]["responses"][str(status)]
	return response["content"]["application/json"]["schema"]
