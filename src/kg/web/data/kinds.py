"""What the pages call the graph's classes, relations and value qualifiers."""

from __future__ import annotations

ENTITY_KINDS = {
    # class local name → (Chinese label, plural label for lists)
    "City": "市", "County": "县", "District": "区", "Province": "省", "Township": "乡", "Town": "镇",
    "Subdistrict": "街道", "Village": "村", "Place": "地点",
    "Programme": "扶贫项目", "Enterprise": "企业", "Cooperative": "合作社", "Organization": "机构",
    "GovernmentBody": "政府机构", "PolicyDocument": "政策文件", "Person": "人物", "Product": "产品",
    "Crop": "作物", "Category": "类别", "Indicator": "指标", "Thing": "其他",
}
PLACE_CLASSES = {"City", "County", "District", "Province", "Township", "Town", "Subdistrict", "Village", "Place"}
ENTITY_ORDER = ["Province", "City", "County", "District", "Township", "Town", "Subdistrict", "Village", "Place",
                "Programme", "PolicyDocument", "Enterprise", "Cooperative", "Organization", "GovernmentBody",
                "Person", "Category", "Product", "Crop"]
RELATIONS = {"partOf": "隶属于", "memberOf": "属于类别", "relatedTo": "相关", "locatedIn": "位于",
             "issuedBy": "发文机关", "hasIndicator": "有指标"}
QUALIFIERS = {"exact": "", "lower_bound": "以上/余", "upper_bound": "以内/不足", "approx": "约", "approximate": "约",
              "range": "区间"}
