// One self-contained WSDL (`?wsdl` and `?singleWsdl`) generated from the contract table, shaped as WCF
// writes it for basicHttpBinding: document/literal wrapped, elementFormDefault qualified, WCF
// EmitDefaultValue / EnumerationValue annotations (MSIGN.md §3).
import { escapeXml } from '../../xml/parse.js';
import { ARRAYS, ENUMS, MSIGN_NS, OPERATIONS, TYPES, isScalar, type Member } from './schema.js';

const SER = 'http://schemas.microsoft.com/2003/10/Serialization/';

function xsType(t: string): string {
  if (isScalar(t)) return `xs:${t}`;
  return `tns:${t}`;
}

function element(mm: Member): string {
  const occurs = mm.req ? '' : ' minOccurs="0"';
  const nil = mm.nil ? ' nillable="true"' : '';
  const ann = mm.edvFalse ? `<xs:annotation><xs:appinfo><DefaultValue EmitDefaultValue="false" xmlns="${SER}"/></xs:appinfo></xs:annotation>` : '';
  return ann ? `<xs:element${occurs} name="${mm.name}"${nil} type="${xsType(mm.type)}">${ann}</xs:element>` : `<xs:element${occurs} name="${mm.name}"${nil} type="${xsType(mm.type)}"/>`;
}

function complexTypes(): string {
  let s = '';
  for (const [name, members] of Object.entries(TYPES)) {
    s += `<xs:complexType name="${name}"><xs:sequence>${members.map(element).join('')}</xs:sequence></xs:complexType>`;
    s += `<xs:element name="${name}" nillable="true" type="tns:${name}"/>`;
  }
  for (const [name, item] of Object.entries(ARRAYS)) {
    s += `<xs:complexType name="${name}"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="${item}" nillable="true" type="tns:${item}"/></xs:sequence></xs:complexType>`;
    s += `<xs:element name="${name}" nillable="true" type="tns:${name}"/>`;
  }
  for (const [name, values] of Object.entries(ENUMS)) {
    // Values other than 0,1,2… need EnumerationValue so svcutil regenerates the numbers (ContentType starts at 1).
    const needsValues = values.some(([, v], i) => v !== i);
    s += `<xs:simpleType name="${name}"><xs:restriction base="xs:string">`;
    for (const [n, v] of values) {
      s += needsValues
        ? `<xs:enumeration value="${n}"><xs:annotation><xs:appinfo><EnumerationValue xmlns="${SER}">${v}</EnumerationValue></xs:appinfo></xs:annotation></xs:enumeration>`
        : `<xs:enumeration value="${n}"/>`;
    }
    s += `</xs:restriction></xs:simpleType><xs:element name="${name}" nillable="true" type="tns:${name}"/>`;
  }
  return s;
}

export function buildWsdl(address: string): string {
  const wrappers = OPERATIONS.map(
    (o) =>
      `<xs:element name="${o.name}"><xs:complexType><xs:sequence>${o.params.map(element).join('')}</xs:sequence></xs:complexType></xs:element>` +
      `<xs:element name="${o.name}Response"><xs:complexType><xs:sequence>${element(o.result)}</xs:sequence></xs:complexType></xs:element>`,
  ).join('');
  const messages = OPERATIONS.map(
    (o) =>
      `<wsdl:message name="IMSign_${o.name}_InputMessage"><wsdl:part name="parameters" element="tns:${o.name}"/></wsdl:message>` +
      `<wsdl:message name="IMSign_${o.name}_OutputMessage"><wsdl:part name="parameters" element="tns:${o.name}Response"/></wsdl:message>`,
  ).join('');
  const portOps = OPERATIONS.map(
    (o) =>
      `<wsdl:operation name="${o.name}"><wsdl:input wsaw:Action="${o.action}" message="tns:IMSign_${o.name}_InputMessage"/><wsdl:output wsaw:Action="${o.replyAction}" message="tns:IMSign_${o.name}_OutputMessage"/></wsdl:operation>`,
  ).join('');
  const bindingOps = OPERATIONS.map(
    (o) =>
      `<wsdl:operation name="${o.name}"><soap:operation soapAction="${o.action}" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<wsdl:definitions name="MSign" targetNamespace="${MSIGN_NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl" xmlns:tns="${MSIGN_NS}">` +
    `<wsdl:types><xs:schema elementFormDefault="qualified" targetNamespace="${MSIGN_NS}" xmlns:tns="${MSIGN_NS}">${wrappers}${complexTypes()}</xs:schema></wsdl:types>` +
    messages +
    `<wsdl:portType name="IMSign">${portOps}</wsdl:portType>` +
    `<wsdl:binding name="BasicHttpBinding_IMSign" type="tns:IMSign"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps}</wsdl:binding>` +
    `<wsdl:service name="MSign"><wsdl:port name="BasicHttpBinding_IMSign" binding="tns:BasicHttpBinding_IMSign"><soap:address location="${escapeXml(address)}"/></wsdl:port></wsdl:service>` +
    '</wsdl:definitions>'
  );
}
