/** Parsing Dataverse query functions and parameter aliases out of $filter text. */
import { extractQueryFunctions, withParameterAliases } from "../../../mock-server/dataverse/queryFunctions";

describe("extractQueryFunctions", () => {
  it("replaces each call by a placeholder comparison and keeps its property and values", () => {
    const { text, calls } = extractQueryFunctions(`name eq 'x' and Microsoft.Dynamics.CRM.In(PropertyName='address1_city',PropertyValues=["O'Fallon",'Lyon','It''s']) or Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)`);
    expect(text).toBe("name eq 'x' and (__crmfn0__ eq true) or (__crmfn1__ eq true)");
    expect(calls).toEqual([
      { name: "In", property: "address1_city", values: ["O'Fallon", "Lyon", "It's"] },
      { name: "LastXDays", property: "createdon", values: ["7"] },
    ]);
  });

  it("leaves text inside string literals alone", () => {
    const filter = "name eq 'Microsoft.Dynamics.CRM.In(PropertyName=''name'')'";
    expect(extractQueryFunctions(filter)).toEqual({ text: filter, calls: [] });
  });

  it("reads JSON escapes in double-quoted values and bare numbers", () => {
    expect(extractQueryFunctions('Microsoft.Dynamics.CRM.In(PropertyName=\'name\',PropertyValues=["a\\"b","c\\u00e9"])').calls[0].values).toEqual(['a"b', "cé"]);
    expect(extractQueryFunctions("Microsoft.Dynamics.CRM.Between(PropertyName='numberofemployees',PropertyValues=[5, 2000])").calls[0].values).toEqual(["5", "2000"]);
  });

  it("refuses calls without PropertyName or with broken syntax", () => {
    expect(() => extractQueryFunctions("Microsoft.Dynamics.CRM.Today()")).toThrow("PropertyName");
    expect(() => extractQueryFunctions("Microsoft.Dynamics.CRM.In PropertyName='x'")).toThrow("Syntax error");
    expect(() => extractQueryFunctions("Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a'")).toThrow();
  });
});

describe("withParameterAliases", () => {
  it("substitutes @p aliases into $filter outside string literals", () => {
    const query = new URLSearchParams({ $select: "name", $filter: "Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2) and name ne '@p1'", "@p1": "'name'", "@p2": '["a","b"]' }).toString();
    expect(new URLSearchParams(withParameterAliases(query)).get("$filter")).toBe(`Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=["a","b"]) and name ne '@p1'`);
  });

  it("leaves a query without aliases untouched and refuses an undefined alias", () => {
    expect(withParameterAliases("$filter=name%20eq%20'x'")).toBe("$filter=name%20eq%20'x'");
    expect(() => withParameterAliases(new URLSearchParams({ $filter: "name eq @missing", "@other": "'x'" }).toString())).toThrow("@missing");
  });
});
