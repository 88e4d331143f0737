/** Word lists for realistic Chinese clothing-chain demo data. Order matters: changing it changes seeded data. */

export const TOP_SIZES = ['S', 'M', 'L', 'XL', 'XXL'] as const;
export const DRESS_SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
export const JEAN_SIZES = ['26', '27', '28', '29', '30', '31', '32', '33', '34'] as const;
export const ONE_SIZE = ['均码'] as const;

export const COLORS = [
	'黑色',
	'白色',
	'藏青',
	'卡其',
	'酒红',
	'灰色',
	'米白',
	'燕麦色',
	'雾霾蓝',
	'墨绿',
	'驼色',
	'浅粉',
	'杏色',
	'咖啡色',
	'军绿',
	'奶白',
	'香芋紫',
	'姜黄'
] as const;
export const DENIM_COLORS = ['浅蓝', '中蓝', '深蓝', '黑色', '烟灰', '复古蓝'] as const;

export interface CategorySpec {
	id: string;
	name: string;
	/** Relative share of styles. */
	weight: number;
	sizes: readonly string[];
	colors: readonly string[];
	/** Retail price range in whole yuan; the price is picked from PRICE_LADDER inside it. */
	priceYuan: readonly [number, number];
	/** Share of styles in the spring/summer season (rest autumn/winter). */
	springSummer: number;
	/** Name = [material] + [feature] + item; an empty list skips that part. */
	materials: readonly string[];
	features: readonly string[];
	items: readonly string[];
	/** Typical basket quantity above 1 (socks are bought in pairs). */
	multiBuy?: boolean;
	/** XXL of this category costs more (variant retailPrice override). */
	xxlSurchargeYuan?: number;
}

export const CATEGORY_SPECS: readonly CategorySpec[] = [
	{
		id: 'cat-tshirt',
		name: 'T恤',
		weight: 12,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [59, 199],
		springSummer: 0.85,
		materials: ['纯棉', '精梳棉', '莫代尔', '冰丝', '竹节棉', '丝光棉', '华夫格'],
		features: ['圆领', 'V领', '宽松', '修身', '印花', '条纹', '落肩', '短袖', '长袖', '重磅'],
		items: ['T恤', 'T恤', 'T恤', 'POLO衫', '打底衫']
	},
	{
		id: 'cat-shirt',
		name: '衬衫',
		weight: 8,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [159, 459],
		springSummer: 0.6,
		materials: ['真丝', '亚麻', '纯棉', '牛津纺', '天丝', '雪纺'],
		features: ['商务', '休闲', '修身', '宽松', '条纹', '格纹', '立领', '法式'],
		items: ['衬衫', '长袖衬衫', '短袖衬衫']
	},
	{
		id: 'cat-hoodie',
		name: '卫衣',
		weight: 8,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [169, 399],
		springSummer: 0.35,
		materials: ['加绒', '毛圈', '纯棉', '华夫格', '空气层'],
		features: ['连帽', '圆领', '半拉链', '落肩', '印花', '刺绣'],
		items: ['卫衣', '卫衣', '开衫卫衣']
	},
	{
		id: 'cat-knit',
		name: '毛衫',
		weight: 7,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [199, 899],
		springSummer: 0.2,
		materials: ['羊毛', '羊绒', '马海毛', '棉线', '美丽诺羊毛'],
		features: ['针织', '高领', '圆领', 'V领', '麻花', '粗针'],
		items: ['开衫', '毛衣', '针织衫', '马甲']
	},
	{
		id: 'cat-outer',
		name: '外套',
		weight: 8,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [399, 1599],
		springSummer: 0.35,
		materials: ['羊毛', '牛仔', '灯芯绒', '双面呢', '防风'],
		features: ['双排扣', '翻领', '连帽', '短款', '长款', '廓形'],
		items: ['大衣', '夹克', '风衣', '西装外套', '棒球服'],
		xxlSurchargeYuan: 20
	},
	{
		id: 'cat-down',
		name: '羽绒服',
		weight: 4,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [599, 2299],
		springSummer: 0,
		materials: ['白鸭绒', '白鹅绒', '轻薄'],
		features: ['短款', '长款', '连帽', '立领', '面包'],
		items: ['羽绒服', '羽绒服', '羽绒马甲'],
		xxlSurchargeYuan: 50
	},
	{
		id: 'cat-pants',
		name: '裤装',
		weight: 10,
		sizes: TOP_SIZES,
		colors: COLORS,
		priceYuan: [129, 459],
		springSummer: 0.55,
		materials: ['冰丝', '纯棉', '羊毛', '亚麻', '醋酸'],
		features: ['阔腿', '直筒', '锥形', '束脚', '九分', '休闲', '西装'],
		items: ['裤', '长裤', '运动裤', '工装裤']
	},
	{
		id: 'cat-denim',
		name: '牛仔',
		weight: 8,
		sizes: JEAN_SIZES,
		colors: DENIM_COLORS,
		priceYuan: [199, 599],
		springSummer: 0.5,
		materials: ['弹力', '水洗', '复古', '原色', ''],
		features: ['修身', '直筒', '阔腿', '小脚', '高腰', '破洞'],
		items: ['牛仔裤', '牛仔裤', '牛仔短裤']
	},
	{
		id: 'cat-dress',
		name: '连衣裙',
		weight: 9,
		sizes: DRESS_SIZES,
		colors: COLORS,
		priceYuan: [259, 999],
		springSummer: 0.7,
		materials: ['真丝', '雪纺', '针织', '棉麻', '碎花'],
		features: ['收腰', 'A字', '吊带', '长款', '法式', '方领'],
		items: ['连衣裙']
	},
	{
		id: 'cat-skirt',
		name: '半身裙',
		weight: 6,
		sizes: DRESS_SIZES,
		colors: COLORS,
		priceYuan: [159, 459],
		springSummer: 0.65,
		materials: ['雪纺', '针织', '牛仔', '毛呢', '缎面'],
		features: ['百褶', 'A字', '包臀', '高腰', '开叉'],
		items: ['半身裙', '短裙', '长裙']
	},
	{
		id: 'cat-acc',
		name: '配饰',
		weight: 8,
		sizes: ONE_SIZE,
		colors: COLORS,
		priceYuan: [39, 299],
		springSummer: 0.5,
		materials: [],
		features: ['简约', '复古', '百搭', '经典', ''],
		items: [
			'帆布包',
			'帆布托特包',
			'真皮斜挎包',
			'羊绒围巾',
			'真丝方巾',
			'针织帽',
			'渔夫帽',
			'棒球帽',
			'真皮腰带',
			'羊毛手套'
		]
	},
	{
		id: 'cat-socks',
		name: '袜子',
		weight: 5,
		sizes: ONE_SIZE,
		colors: COLORS,
		priceYuan: [19, 59],
		springSummer: 0.5,
		materials: ['纯棉', '精梳棉', '羊毛', '竹纤维', ''],
		features: ['加厚', '透气', '条纹', '', ''],
		items: ['运动袜', '中筒袜', '船袜', '短袜', '长筒袜'],
		multiBuy: true
	}
];

/** Typical Chinese retail prices in yuan (they end in 9). */
export const PRICE_LADDER = [
	19, 29, 39, 49, 59, 69, 79, 89, 99, 109, 119, 129, 139, 149, 159, 169, 179, 189, 199, 219, 229, 239, 259,
	269, 279, 299, 329, 339, 359, 369, 399, 429, 459, 499, 529, 559, 599, 659, 699, 759, 799, 899, 999, 1099,
	1199, 1299, 1399, 1499, 1599, 1799, 1999, 2299
] as const;

/** Common surnames, most frequent first (the generator weights the first ten more). */
export const SURNAMES = [
	...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严武莫孔向汤'
];
export const GIVEN_FEMALE = [
	...'丽娜静敏婷雪慧颖琳欣怡佳雯倩悦萱晨瑶玲芳燕红霞梅兰洁璐婧妍诗涵梦思雨可心蕾月'
];
export const GIVEN_MALE = [...'伟强磊军洋勇杰涛明超浩宇鹏辉峰俊博文斌凯然轩'];

/** Real 3-digit mobile prefixes of China Mobile, Unicom and Telecom. */
export const MOBILE_PREFIXES = [
	'130',
	'131',
	'132',
	'133',
	'134',
	'135',
	'136',
	'137',
	'138',
	'139',
	'147',
	'150',
	'151',
	'152',
	'153',
	'155',
	'156',
	'157',
	'158',
	'159',
	'166',
	'173',
	'175',
	'176',
	'177',
	'178',
	'180',
	'181',
	'182',
	'183',
	'184',
	'185',
	'186',
	'187',
	'188',
	'189',
	'191',
	'193',
	'195',
	'196',
	'197',
	'198',
	'199'
] as const;

/** Branch sites: city, area code, district, road, mall. The first ones are used first. */
export const SITES: readonly (readonly [string, string, string, string, string])[] = [
	['上海', '021', '静安区', '南京西路', '恒隆广场'],
	['上海', '021', '徐汇区', '虹桥路', '港汇恒隆广场'],
	['杭州', '0571', '上城区', '延安路', '湖滨银泰in77'],
	['南京', '025', '秦淮区', '中山南路', '新街口德基广场'],
	['苏州', '0512', '姑苏区', '观前街', '苏州中心'],
	['北京', '010', '朝阳区', '建国路', '华贸购物中心'],
	['北京', '010', '海淀区', '中关村大街', '中关村欧美汇'],
	['广州', '020', '天河区', '天河路', '正佳广场'],
	['深圳', '0755', '福田区', '华强北路', '星河COCO Park'],
	['成都', '028', '锦江区', '春熙路', '太古里'],
	['重庆', '023', '渝中区', '民族路', '解放碑WFC'],
	['武汉', '027', '江汉区', '解放大道', '武汉国际广场'],
	['西安', '029', '碑林区', '南大街', '赛格国际购物中心'],
	['天津', '022', '和平区', '南京路', '天津恒隆广场'],
	['长沙', '0731', '芙蓉区', '五一大道', '国金中心'],
	['郑州', '0371', '金水区', '花园路', '国贸360广场'],
	['青岛', '0532', '市南区', '香港中路', '万象城'],
	['宁波', '0574', '海曙区', '中山西路', '天一广场'],
	['厦门', '0592', '思明区', '中山路', '万象城'],
	['合肥', '0551', '蜀山区', '长江西路', '银泰中心'],
	['无锡', '0510', '梁溪区', '人民中路', '恒隆广场'],
	['福州', '0591', '鼓楼区', '五四路', '东街口大洋百货'],
	['济南', '0531', '历下区', '泉城路', '恒隆广场'],
	['沈阳', '024', '和平区', '太原街', '万达广场'],
	['大连', '0411', '中山区', '人民路', '恒隆广场'],
	['昆明', '0871', '五华区', '正义路', '顺城购物中心'],
	['南宁', '0771', '青秀区', '民族大道', '万象城'],
	['南昌', '0791', '东湖区', '中山路', '天虹商场'],
	['哈尔滨', '0451', '道里区', '中央大街', '友谊宫'],
	['石家庄', '0311', '长安区', '中山东路', '北国商城']
];
